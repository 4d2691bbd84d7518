using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config.Schema;

/// <summary>
/// The usual kinds of key, so a schema reads as a list: <c>.Integer("max_headers", 1, 10_000, (c, v) =&gt; c with { MaxHeaders = v })</c>.
/// Each reports its own errors and leaves the record unchanged when the value is wrong.
/// </summary>
internal static class TableSchemaKeys
{
    public static TableSchema<T> Integer<T>(this TableSchema<T> schema, string name, int min, int max, Func<T, int, T> apply, bool required = false)
        where T : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TryInteger(context, name, value, min, max, out long number) ? apply(record, (int)number) : record, required);

    public static TableSchema<T> Float<T>(this TableSchema<T> schema, string name, double min, double max, Func<T, double, T> apply)
        where T : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TryFloat(context, name, value, min, max, out double number) ? apply(record, number) : record);

    public static TableSchema<T> Boolean<T>(this TableSchema<T> schema, string name, Func<T, bool, T> apply)
        where T : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TryBoolean(context, name, value, out bool flag) ? apply(record, flag) : record);

    /// <summary>A share from 0 to 1: a float, or the integers 0 and 1.</summary>
    public static TableSchema<T> Ratio<T>(this TableSchema<T> schema, string name, Func<T, double, T> apply)
        where T : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TryRatio(context, name, value, out double ratio) ? apply(record, ratio) : record);

    /// <summary>A string; <paramref name="check"/> returns a problem ("must start with '/'") or null.</summary>
    public static TableSchema<T> String<T>(this TableSchema<T> schema, string name, Func<T, string, T> apply, Func<string, string?>? check = null, bool required = false)
        where T : class =>
        schema.Key(name, (record, value, context) =>
        {
            if (!ValueReader.TryString(context, name, value, out string? text)) return record;
            string? problem = check?.Invoke(text);
            if (problem is null) return apply(record, text);
            context.Errors.Add(value.Position, $"`{name}` = \"{text}\" {problem}");
            return record;
        }, required);

    /// <summary>A string parsed into something else (an endpoint, an enum).</summary>
    public static TableSchema<T> Parsed<T, TValue>(this TableSchema<T> schema, string name, ItemParser<TValue> parse, Func<T, TValue, T> apply, bool required = false)
        where T : class =>
        schema.Key(name, (record, value, context) =>
        {
            if (!ValueReader.TryString(context, name, value, out string? text)) return record;
            if (parse(text, out TValue parsed, out string problem)) return apply(record, parsed);
            context.Errors.Add(value.Position, $"`{name}` = \"{text}\" {problem}");
            return record;
        }, required);

    public static TableSchema<T> Duration<T>(this TableSchema<T> schema, string name, bool allowZero, Func<T, TimeSpan, T> apply)
        where T : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TryDuration(context, name, value, allowZero, out TimeSpan duration) ? apply(record, duration) : record);

    public static TableSchema<T> Size<T>(this TableSchema<T> schema, string name, long min, long max, Func<T, long, T> apply)
        where T : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TrySize(context, name, value, min, max, out long bytes) ? apply(record, bytes) : record);

    public static TableSchema<T> Table<T, TChild>(this TableSchema<T> schema, string name, TableSchema<TChild> child, Func<T, TChild, T> apply)
        where T : class
        where TChild : class =>
        schema.Key(name, (record, value, context) =>
            ValueReader.TryTable(context, name, value, out TomlTable? table) ? apply(record, child.Read(table, context)) : record);

    public static TableSchema<T> TableArray<T, TItem>(this TableSchema<T> schema, string name, TableSchema<TItem> item, Func<T, IReadOnlyList<TItem>, T> apply)
        where T : class
        where TItem : class =>
        schema.Key(name, (record, value, context) =>
        {
            if (!ValueReader.TryTableArray(context, name, value, out List<TomlTable> tables)) return record;
            var items = new List<TItem>(tables.Count);
            foreach (TomlTable table in tables)
            {
                items.Add(item.Read(table, context));
            }
            return apply(record, items);
        });

    /// <summary>
    /// A list of strings, each parsed by <paramref name="parse"/>. An empty list, and the same item twice,
    /// are errors: both are almost always a slip, and saying so costs the operator nothing.
    /// </summary>
    /// <param name="emptyProblem">Completes "`key` ..." when the list is empty.</param>
    public static TableSchema<T> StringList<T, TItem>(this TableSchema<T> schema, string name, ItemParser<TItem> parse, string emptyProblem, Func<T, IReadOnlyList<TItem>, T> apply)
        where T : class =>
        schema.Key(name, (record, value, context) =>
        {
            if (!ValueReader.TryArray(context, name, value, out TomlArray? array)) return record;
            if (array.Items.Count == 0)
            {
                context.Errors.Add(value.Position, $"`{name}` {emptyProblem}");
                return record;
            }
            var items = new List<TItem>(array.Items.Count);
            int errorsBefore = context.Errors.Count;
            foreach (TomlValue element in array.Items)
            {
                if (element is not TomlScalar { Kind: TomlScalarKind.String })
                {
                    context.Errors.Add(element.Position, $"`{name}` entries must be strings, not {element.Description}");
                    continue;
                }
                if (!ValueReader.TryString(context, name, element, out string? text)) continue;
                if (!parse(text, out TItem item, out string problem))
                {
                    context.Errors.Add(element.Position, $"`{name}` entry \"{text}\" {problem}");
                }
                else if (items.Contains(item))
                {
                    context.Errors.Add(element.Position, $"`{name}` lists \"{text}\" twice");
                }
                else
                {
                    items.Add(item);
                }
            }
            return context.Errors.Count == errorsBefore ? apply(record, items) : record;
        });
}
