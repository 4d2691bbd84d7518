using System.Globalization;

namespace Proxy.Engine.Config.Values;

/// <summary>
/// Durations as operators write them: "250ms", "5s", "2m", "1h", or components from largest to smallest
/// unit such as "1m30s". Whole numbers only, lower-case units only ("M" could be read as months).
/// </summary>
internal static class DurationParser
{
    public const string Units = "ms, s, m, h";

    public const string Examples = "\"250ms\", \"5s\", \"2m\", \"1h\" or \"1m30s\"";

    // Durations feed timers, and nothing a proxy waits for should take longer than a day: a bigger value is
    // a typo (a missing "m" in "ms") far more often than an intent, and it keeps every value far from the
    // limits of the timer APIs the engine hands them to.
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    /// <summary>
    /// Parses <paramref name="text"/>; on failure <paramref name="problem"/> completes the sentence
    /// "`key` = "text" ..." (for example "has no unit; ...").
    /// </summary>
    public static bool TryParse(string text, out TimeSpan value, out string problem)
    {
        value = TimeSpan.Zero;
        problem = "";
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            problem = $"is empty; write a duration like {Examples}";
            return false;
        }

        long totalMilliseconds = 0;
        int previousRank = int.MaxValue;
        int i = 0;
        while (i < s.Length)
        {
            int numberStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == numberStart)
            {
                problem = s[i] == '-' ? "is negative; a duration is at least 0" : $"is not a duration; write it like {Examples}";
                return false;
            }
            if (i < s.Length && s[i] == '.')
            {
                problem = "has a fraction; write whole numbers of a smaller unit, like \"1500ms\" for 1.5s";
                return false;
            }
            ReadOnlySpan<char> digits = s[numberStart..i];

            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            ReadOnlySpan<char> unit = s[unitStart..i];
            if (unit.IsEmpty)
            {
                problem = i == s.Length && numberStart == 0
                    ? $"has no unit; write it like \"{digits}s\" (units: {Units})"
                    : $"is not a duration; write it like {Examples}";
                return false;
            }

            (long unitMilliseconds, int rank) = unit switch
            {
                "h" => (3_600_000L, 3),
                "m" => (60_000L, 2),
                "s" => (1_000L, 1),
                "ms" => (1L, 0),
                _ => (0L, -1),
            };
            if (rank < 0)
            {
                problem = $"has the unknown unit `{unit}`; use one of {Units}";
                return false;
            }
            // "1m30s" reads naturally; "30s1m" or "1s1s" is more likely a mistake than a sum someone meant.
            if (rank >= previousRank)
            {
                problem = "repeats or reorders units; write each unit once, largest first, like \"1m30s\"";
                return false;
            }
            previousRank = rank;

            // Ten digits of even the smallest unit are past the one-day ceiling; stopping there keeps the
            // arithmetic below far from overflowing a long.
            if (digits.Length <= 10)
            {
                totalMilliseconds += long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * unitMilliseconds;
            }
            if (digits.Length > 10 || totalMilliseconds > (long)Max.TotalMilliseconds)
            {
                problem = "is longer than the 24h allowed for any duration";
                return false;
            }
        }

        value = TimeSpan.FromMilliseconds(totalMilliseconds);
        return true;
    }
}
