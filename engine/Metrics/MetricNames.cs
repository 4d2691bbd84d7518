namespace Proxy.Engine.Metrics;

/// <summary>Label values derived from enums, computed once so that no scrape or request formats a name.</summary>
internal static class MetricNames
{
    /// <summary>"1xx" .. "5xx", indexed by status / 100 - 1.</summary>
    public static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>Index into <see cref="StatusClasses"/> for a status; out-of-range codes count in the nearest class.</summary>
    public static int StatusClassIndex(int status) => Math.Clamp(status / 100, 1, 5) - 1;

    /// <summary>"RequestLineTooLong" -> "request_line_too_long".</summary>
    public static string SnakeCase(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0) text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
