using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Proxy.Engine.Config.Toml;
using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Config.Schema;

/// <summary>
/// Reads one value as the type a key wants, reporting at the value's position when it is not. Every message
/// names the key, so a line on its own says what to fix.
/// </summary>
internal static class ValueReader
{
    /// <summary>A string, with "${NAME}" references expanded.</summary>
    public static bool TryString(ReadContext context, string key, TomlValue value, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (value is not TomlScalar { Kind: TomlScalarKind.String, Value: string raw })
        {
            WrongType(context, key, "a string", value);
            return false;
        }
        if (!EnvironmentSubstitution.TryExpand(raw, context.Environment, out string expanded, out List<string> problems))
        {
            foreach (string problem in problems)
            {
                context.Errors.Add(value.Position, $"`{key}` {problem}");
            }
            return false;
        }
        text = expanded;
        return true;
    }

    /// <summary>A number: a TOML float, or an integer where a whole number is meant (1 for 1.0).</summary>
    public static bool TryFloat(ReadContext context, string key, TomlValue value, double min, double max, out double number)
    {
        number = 0;
        switch (value)
        {
            case TomlScalar { Kind: TomlScalarKind.Float, Value: double d }: number = d; break;
            case TomlScalar { Kind: TomlScalarKind.Integer, Value: long l }: number = l; break;
            default:
                WrongType(context, key, "a number", value);
                return false;
        }
        if (double.IsNaN(number) || number < min || number > max)
        {
            context.Errors.Add(value.Position, Invariant($"`{key}` must be between {min} and {max}, not {number}"));
            return false;
        }
        return true;
    }

    public static bool TryBoolean(ReadContext context, string key, TomlValue value, out bool flag)
    {
        flag = false;
        if (value is not TomlScalar { Kind: TomlScalarKind.Boolean, Value: bool parsed })
        {
            WrongType(context, key, "true or false", value);
            return false;
        }
        flag = parsed;
        return true;
    }

    public static bool TryInteger(ReadContext context, string key, TomlValue value, long min, long max, out long number)
    {
        number = 0;
        if (value is not TomlScalar { Kind: TomlScalarKind.Integer, Value: long parsed })
        {
            WrongType(context, key, "an integer", value);
            return false;
        }
        if (parsed < min || parsed > max)
        {
            // A maximum of int.MaxValue only says "fits the record": name it only when that is what was crossed.
            bool realMaximum = max != int.MaxValue && max != long.MaxValue;
            string range = realMaximum ? Invariant($"between {min} and {max}") : parsed < min ? Invariant($"at least {min}") : Invariant($"at most {max}");
            context.Errors.Add(value.Position, Invariant($"`{key}` must be {range}, not {parsed}"));
            return false;
        }
        number = parsed;
        return true;
    }

    /// <summary>A share from 0 to 1 (<c>0.25</c>); the integers 0 and 1 are accepted too.</summary>
    public static bool TryRatio(ReadContext context, string key, TomlValue value, out double ratio)
    {
        ratio = 0;
        switch (value)
        {
            case TomlScalar { Kind: TomlScalarKind.Float, Value: double number }:
                ratio = number;
                break;
            case TomlScalar { Kind: TomlScalarKind.Integer, Value: long whole }:
                ratio = whole;
                break;
            default:
                WrongType(context, key, "a number from 0 to 1, like 0.25", value);
                return false;
        }
        if (!(ratio >= 0 && ratio <= 1))     // also false for NaN
        {
            context.Errors.Add(value.Position, Invariant($"`{key}` must be between 0 and 1, not {ratio}"));
            return false;
        }
        return true;
    }

    public static bool TryDuration(ReadContext context, string key, TomlValue value, bool allowZero, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (value is TomlScalar { Kind: TomlScalarKind.Integer, Value: long bare })
        {
            // A bare 30 could mean seconds or milliseconds; guessing would make one of the two readers wrong.
            context.Errors.Add(value.Position, Invariant($"`{key}` = {bare} has no unit; write a duration string like \"{bare}s\" (units: {DurationParser.Units})"));
            return false;
        }
        if (value is not TomlScalar { Kind: TomlScalarKind.String })
        {
            WrongType(context, key, "a duration string like \"5s\"", value);
            return false;
        }
        if (!TryString(context, key, value, out string? text)) return false;
        if (!DurationParser.TryParse(text, out duration, out string problem))
        {
            context.Errors.Add(value.Position, $"`{key}` = \"{text}\" {problem}");
            return false;
        }
        if (!allowZero && duration == TimeSpan.Zero)
        {
            context.Errors.Add(value.Position, $"`{key}` must be longer than 0s");
            return false;
        }
        return true;
    }

    /// <summary>A size: a string with a unit ("16KiB"), or an integer number of bytes.</summary>
    public static bool TrySize(ReadContext context, string key, TomlValue value, long min, long max, out long bytes)
    {
        bytes = 0;
        string written;
        if (value is TomlScalar { Kind: TomlScalarKind.Integer, Value: long plain })
        {
            bytes = plain;
            written = plain.ToString(CultureInfo.InvariantCulture);
        }
        else if (value is TomlScalar { Kind: TomlScalarKind.String })
        {
            if (!TryString(context, key, value, out string? text)) return false;
            if (!SizeParser.TryParse(text, out bytes, out string problem))
            {
                context.Errors.Add(value.Position, $"`{key}` = \"{text}\" {problem}");
                return false;
            }
            written = $"\"{text}\"";
        }
        else
        {
            WrongType(context, key, "a size like \"16KiB\" or a number of bytes", value);
            return false;
        }

        if (bytes < min)
        {
            context.Errors.Add(value.Position, $"`{key}` must be at least {SizeParser.Format(min)}, not {written}");
            return false;
        }
        if (bytes > max)
        {
            context.Errors.Add(value.Position, $"`{key}` must be at most {SizeParser.Format(max)}, not {written}");
            return false;
        }
        return true;
    }

    public static bool TryTable(ReadContext context, string key, TomlValue value, [NotNullWhen(true)] out TomlTable? table)
    {
        table = value as TomlTable;
        if (table is null) WrongType(context, key, "a table", value);
        return table is not null;
    }

    /// <summary>An array whose items are all tables, written as [[key]] or inline; items that are not tables are reported and skipped.</summary>
    public static bool TryTableArray(ReadContext context, string key, TomlValue value, out List<TomlTable> tables)
    {
        tables = [];
        if (value is not TomlArray array)
        {
            WrongType(context, key, $"an array of tables, written [[{key}]]", value);
            return false;
        }
        foreach (TomlValue item in array.Items)
        {
            if (item is TomlTable table) tables.Add(table);
            else context.Errors.Add(item.Position, $"`{key}` entries must be tables, not {item.Description}");
        }
        return true;
    }

    public static bool TryArray(ReadContext context, string key, TomlValue value, [NotNullWhen(true)] out TomlArray? array)
    {
        array = value as TomlArray;
        if (array is null) WrongType(context, key, "an array", value);
        return array is not null;
    }

    public static void WrongType(ReadContext context, string key, string expected, TomlValue value) =>
        context.Errors.Add(value.Position, $"`{key}` must be {expected}, not {value.Description}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
