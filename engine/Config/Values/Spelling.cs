namespace Proxy.Engine.Config.Values;

/// <summary>"did you mean `max_headers`?": the closest known word to a misspelt one, if any is close.</summary>
internal static class Spelling
{
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string typedFolded = Fold(typed);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            // "maxHeaders", "max-headers" and "MAX_HEADERS" are all the same word in the wrong dress.
            int distance = Fold(candidate) == typedFolded ? 0 : Distance(typed.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // One edit in four characters is a typo; more is a different word, and suggesting it would mislead.
        int allowed = Math.Max(1, Math.Min(typed.Length, best?.Length ?? 0) / 4);
        return bestDistance <= allowed ? best : null;
    }

    private static string Fold(string word) => word.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    // Optimal string alignment distance: Levenshtein plus swapping two neighbours ("mxa" -> "max") as one edit.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
