using Proxy.Engine.Config.Toml;
using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Config.Schema;

/// <summary>
/// The keys of one kind of table and how to read each into a <typeparamref name="T"/> record. Adding a key
/// is one more rule here; an unknown or not-yet-supported key is reported by the schema, not by each reader.
/// </summary>
/// <param name="where">Completes "unknown key `x` ...", e.g. "in [limits]" or "at the top level".</param>
/// <param name="create">A record with every default filled in; required keys get placeholders that a missing-key error makes moot.</param>
internal sealed class TableSchema<T>(string where, Func<T> create)
    where T : class
{
    private readonly Dictionary<string, KeyRule<T>> _rules = new(StringComparer.Ordinal);
    private readonly List<string> _supportedNames = [];
    private readonly List<Action<T, ReadContext>> _checks = [];
    private readonly List<string> _requiredNames = [];

    public string Where { get; } = where;

    public TableSchema<T> Key(string name, Func<T, TomlValue, ReadContext, T> read, bool required = false)
    {
        _rules.Add(name, new KeyRule<T>(name, read, required));
        _supportedNames.Add(name);
        if (required) _requiredNames.Add(name);
        return this;
    }

    /// <summary>
    /// A check of the whole record once its keys are read (rules between keys, such as timeout ≤ interval); it
    /// reports through the context, pointing at keys with <see cref="ReadContext.PositionOf"/>.
    /// </summary>
    public TableSchema<T> Check(Action<T, ReadContext> check)
    {
        _checks.Add(check);
        return this;
    }

    /// <summary>A key of the public config contract that this version does not implement yet.</summary>
    public TableSchema<T> NotYetSupported(string name)
    {
        _rules.Add(name, new KeyRule<T>(name, null, Required: false));
        return this;
    }

    public T Read(TomlTable table, ReadContext context)
    {
        T record = create();
        foreach (TomlEntry entry in table.Entries)
        {
            if (!_rules.TryGetValue(entry.Key, out KeyRule<T>? rule))
            {
                context.Errors.Add(entry.KeyPosition, UnknownKeyMessage(entry.Key));
            }
            else if (rule.Read is null)
            {
                context.Errors.Add(entry.KeyPosition, $"`{entry.Key}` {Where} is not supported yet by this version; remove it or upgrade");
            }
            else
            {
                record = rule.Read(record, entry.Value, context);
            }
        }
        // Read for every table of a large configuration (10,000 routes): only the few required keys are looked up.
        foreach (string required in _requiredNames)
        {
            if (!table.TryGet(required, out _))
            {
                context.Errors.Add(table.Position, $"`{required}` is required {Where}");
            }
        }
        context.RememberSource(record, table);
        foreach (Action<T, ReadContext> check in _checks) check(record, context);
        return record;
    }

    private string UnknownKeyMessage(string key)
    {
        string expected = $"expected one of: {string.Join(", ", _supportedNames)}";
        string? suggestion = Spelling.Closest(key, _supportedNames);
        return suggestion is null
            ? $"unknown key `{key}` {Where}; {expected}"
            : $"unknown key `{key}` {Where}; did you mean `{suggestion}`? ({expected})";
    }
}
