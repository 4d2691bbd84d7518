using System.Globalization;
using Proxy.Engine.Config.Toml;
using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Config.Schema;

/// <summary>
/// Readers for the route keys whose values are tables of the operator's own names (<c>headers</c>, <c>query</c>,
/// <c>set_headers</c>) or need more than one rule (<c>percent</c>, a redirect's <c>status</c>). Each reports at the
/// position of what is wrong and returns null when anything was.
/// </summary>
internal static class RouteKeyReaders
{
    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];

    /// <summary>
    /// <c>headers</c> or <c>query</c>: <c>{ name = "value", name = { present = true }, name = { regex = "..." } }</c>.
    /// Header names compare case-insensitively, so two spellings of one name are the same entry written twice.
    /// </summary>
    public static List<FieldMatchConfig>? ReadFieldMatches(ReadContext context, string key, TomlValue value, bool headers)
    {
        if (!ValueReader.TryTable(context, key, value, out TomlTable? table)) return null;
        if (table.Entries.Count == 0)
        {
            context.Errors.Add(value.Position, $"`{key}` is empty; leave it out of the route to match any request");
            return null;
        }
        int errorsBefore = context.Errors.Count;
        var matches = new List<FieldMatchConfig>(table.Entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TomlEntry entry in table.Entries)
        {
            string name = entry.Key;
            if (headers)
            {
                if (!RouteValues.TryParseHeaderName(entry.Key, out name, out string problem))
                {
                    context.Errors.Add(entry.KeyPosition, $"`{key}` entry \"{entry.Key}\" {problem}");
                    continue;
                }
            }
            else if (name.Length == 0)
            {
                context.Errors.Add(entry.KeyPosition, $"`{key}` has an empty parameter name");
                continue;
            }
            if (!seen.Add(name))
            {
                context.Errors.Add(entry.KeyPosition, $"`{key}` lists \"{entry.Key}\" twice" + (headers ? " (header names are case-insensitive)" : ""));
                continue;
            }
            if (ReadFieldMatch(context, key, name, entry, headers) is { } match) matches.Add(match);
        }
        return context.Errors.Count == errorsBefore ? matches : null;
    }

    /// <summary><c>set_headers</c> or <c>response_set_headers</c>: <c>{ "x-route" = "api-v1" }</c>.</summary>
    public static List<HeaderValueConfig>? ReadHeaderValues(ReadContext context, string key, TomlValue value)
    {
        if (!ValueReader.TryTable(context, key, value, out TomlTable? table)) return null;
        if (table.Entries.Count == 0)
        {
            context.Errors.Add(value.Position, $"`{key}` is empty; leave it out of the route");
            return null;
        }
        int errorsBefore = context.Errors.Count;
        var values = new List<HeaderValueConfig>(table.Entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TomlEntry entry in table.Entries)
        {
            if (!RouteValues.TryParseEditableHeaderName(entry.Key, out string name, out string problem))
            {
                context.Errors.Add(entry.KeyPosition, $"`{key}` entry \"{entry.Key}\" {problem}");
                continue;
            }
            if (!seen.Add(name))
            {
                context.Errors.Add(entry.KeyPosition, $"`{key}` lists \"{entry.Key}\" twice (header names are case-insensitive)");
                continue;
            }
            if (!ValueReader.TryString(context, key, entry.Value, out string? text)) continue;
            if (RouteValues.CheckHeaderValue(text) is { } valueProblem)
            {
                context.Errors.Add(entry.Value.Position, $"`{key}` value of \"{entry.Key}\" {valueProblem}");
                continue;
            }
            values.Add(new HeaderValueConfig(entry.Key, text));
        }
        return context.Errors.Count == errorsBefore ? values : null;
    }

    /// <summary><c>split</c>: a non-empty list of <c>{ cluster, weight }</c>, each cluster once.</summary>
    public static List<SplitTargetConfig>? ReadSplit(ReadContext context, TableSchema<SplitTargetConfig> schema, TomlValue value)
    {
        if (value is TomlArray { Items.Count: 0 })
        {
            context.Errors.Add(value.Position, "`split` must list at least one cluster, like { cluster = \"api\", weight = 95 }");
            return null;
        }
        if (!ValueReader.TryTableArray(context, "split", value, out List<TomlTable> tables)) return null;
        int errorsBefore = context.Errors.Count;
        var targets = new List<SplitTargetConfig>(tables.Count);
        foreach (TomlTable table in tables)
        {
            SplitTargetConfig target = schema.Read(table, context);
            if (target.Cluster.Length > 0 && targets.Exists(earlier => earlier.Cluster == target.Cluster))
            {
                context.Errors.Add(context.PositionOf(target, "cluster"), $"`split` lists cluster `{target.Cluster}` twice; give it one entry with the sum of the weights");
            }
            targets.Add(target);
        }
        return context.Errors.Count == errorsBefore ? targets : null;
    }

    /// <summary>A mirror's <c>percent</c>: an integer or float above 0 and at most 100.</summary>
    public static bool TryReadPercent(ReadContext context, string key, TomlValue value, out double percent)
    {
        percent = 0;
        if (value is TomlScalar { Kind: TomlScalarKind.Integer, Value: long whole }) percent = whole;
        else if (value is TomlScalar { Kind: TomlScalarKind.Float, Value: double fraction }) percent = fraction;
        else
        {
            ValueReader.WrongType(context, key, "a number of percent, like 10 or 0.5", value);
            return false;
        }
        if (percent is > 0 and <= 100) return true;
        context.Errors.Add(value.Position, string.Create(CultureInfo.InvariantCulture, $"`{key}` must be above 0 and at most 100, not {percent}"));
        return false;
    }

    /// <summary>A redirect's <c>status</c>: one of the redirect codes that carry a Location.</summary>
    public static bool TryReadRedirectStatus(ReadContext context, string key, TomlValue value, out int status)
    {
        status = 0;
        if (!ValueReader.TryInteger(context, key, value, long.MinValue, long.MaxValue, out long number)) return false;
        if (Array.IndexOf(RedirectStatuses, (int)Math.Clamp(number, int.MinValue, int.MaxValue)) < 0)
        {
            context.Errors.Add(value.Position, string.Create(CultureInfo.InvariantCulture,
                $"`{key}` must be 301 or 308 (permanent), 302 or 307 (temporary; 307 and 308 keep the method), or 303 (see other), not {number}"));
            return false;
        }
        status = (int)number;
        return true;
    }

    private static FieldMatchConfig? ReadFieldMatch(ReadContext context, string key, string name, TomlEntry entry, bool headers)
    {
        if (entry.Value is TomlScalar { Kind: TomlScalarKind.String })
        {
            if (!ValueReader.TryString(context, key, entry.Value, out string? text)) return null;
            if (headers && RouteValues.CheckHeaderValue(text) is { } problem)
            {
                context.Errors.Add(entry.Value.Position, $"`{key}` value of \"{entry.Key}\" {problem}");
                return null;
            }
            return new FieldMatchConfig { Name = name, Kind = FieldMatchKind.Equals, Value = text };
        }
        if (entry.Value is not TomlTable { Entries: [TomlEntry form] } table)
        {
            context.Errors.Add(entry.Value.Position,
                $"`{key}` entry \"{entry.Key}\" must be a value (\"blue\"), {{ present = true }}, {{ present = false }} or {{ regex = \"...\" }}, not {Described(entry.Value)}");
            return null;
        }
        switch (form.Key)
        {
            case "present":
                if (!ValueReader.TryBoolean(context, "present", form.Value, out bool present)) return null;
                return new FieldMatchConfig { Name = name, Kind = present ? FieldMatchKind.Present : FieldMatchKind.Absent };
            case "regex":
                if (!ValueReader.TryString(context, "regex", form.Value, out string? pattern)) return null;
                if (RouteValues.CheckRegex(pattern) is { } problem)
                {
                    context.Errors.Add(form.Value.Position, $"`regex` = \"{pattern}\" {problem}");
                    return null;
                }
                return new FieldMatchConfig { Name = name, Kind = FieldMatchKind.Regex, Value = pattern };
            default:
                string? suggestion = Spelling.Closest(form.Key, ["present", "regex"]);
                context.Errors.Add(form.KeyPosition, $"unknown key `{form.Key}` in `{key}` entry \"{entry.Key}\"; "
                    + (suggestion is null ? "" : $"did you mean `{suggestion}`? ") + "(expected one of: present, regex)");
                return null;
        }
    }

    private static string Described(TomlValue value) =>
        value is TomlTable table ? $"a table with {table.Entries.Count} keys" : value.Description;
}
