using System.Globalization;

namespace Proxy.Engine.Config.Values;

/// <summary>
/// Sizes in bytes as operators write them: "512B", "16KiB", "10MiB", "1GiB", or a plain number of bytes.
/// </summary>
/// <remarks>
/// KiB, MiB and GiB are powers of 1024; KB, MB and GB are accepted with their SI meaning, powers of 1000
/// ("16KB" is 16000 bytes). That is what the standards (IEC 80000-13) say and what the unit names promise;
/// the reference config writes the binary units, so anyone copying it gets exact powers of two. Units are
/// matched without regard to case ("kib" is KiB), because no one means kilobits in a byte limit.
/// </remarks>
internal static class SizeParser
{
    public const string Examples = "\"512B\", \"16KiB\", \"10MiB\" or \"1GiB\"";

    public static bool TryParse(string text, out long value, out string problem)
    {
        value = 0;
        problem = "";
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        int i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == 0)
        {
            problem = s.StartsWith("-") ? "is negative; a size is at least 0" : $"is not a size; write it like {Examples}, or a number of bytes";
            return false;
        }
        if (i < s.Length && s[i] == '.')
        {
            problem = "has a fraction; write whole numbers of a smaller unit, like \"1536KiB\" for 1.5MiB";
            return false;
        }
        ReadOnlySpan<char> digits = s[..i];
        // One space between number and unit ("16 KiB") is how people write sizes in prose; allow it.
        ReadOnlySpan<char> unit = s[i..].TrimStart(' ');

        long multiplier = UnitMultiplier(unit);
        if (multiplier == 0)
        {
            problem = $"has the unknown unit `{unit}`; use B, KiB, MiB or GiB (or KB, MB, GB for powers of 1000)";
            return false;
        }
        if (digits.Length > 18 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number)
            || number > long.MaxValue / multiplier)
        {
            problem = "is too large";
            return false;
        }
        value = number * multiplier;
        return true;
    }

    /// <summary>"1024" becomes "1KiB", "1500" stays "1500B": how limits are shown back in messages.</summary>
    public static string Format(long bytes)
    {
        const long KiB = 1024;
        if (bytes != 0 && bytes % (KiB * KiB * KiB) == 0) return string.Create(CultureInfo.InvariantCulture, $"{bytes / (KiB * KiB * KiB)}GiB");
        if (bytes != 0 && bytes % (KiB * KiB) == 0) return string.Create(CultureInfo.InvariantCulture, $"{bytes / (KiB * KiB)}MiB");
        if (bytes != 0 && bytes % KiB == 0) return string.Create(CultureInfo.InvariantCulture, $"{bytes / KiB}KiB");
        return string.Create(CultureInfo.InvariantCulture, $"{bytes}B");
    }

    private static long UnitMultiplier(ReadOnlySpan<char> unit)
    {
        if (unit.IsEmpty || unit.Equals("B", StringComparison.OrdinalIgnoreCase)) return 1;
        if (unit.Equals("KiB", StringComparison.OrdinalIgnoreCase)) return 1L << 10;
        if (unit.Equals("MiB", StringComparison.OrdinalIgnoreCase)) return 1L << 20;
        if (unit.Equals("GiB", StringComparison.OrdinalIgnoreCase)) return 1L << 30;
        if (unit.Equals("KB", StringComparison.OrdinalIgnoreCase)) return 1_000;
        if (unit.Equals("MB", StringComparison.OrdinalIgnoreCase)) return 1_000_000;
        if (unit.Equals("GB", StringComparison.OrdinalIgnoreCase)) return 1_000_000_000;
        return 0;
    }
}
