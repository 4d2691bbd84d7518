namespace Proxy.Engine.Config.Values;

/// <summary>Checks for short strings: the names of listeners, routes and clusters, and path prefixes.</summary>
internal static class TextRules
{
    /// <summary>
    /// Names appear in logs, metric labels and admin URLs, so they keep to characters that need no quoting
    /// in any of them. Returns null when valid.
    /// </summary>
    public static string? CheckName(string name)
    {
        if (name.Length == 0) return "is empty";
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return $"has `{c}`; names may use letters, digits, '-', '_' and '.'";
            }
        }
        return null;
    }

    /// <summary>A path prefix is compared with the request path as sent (origin form), which always starts with '/'.</summary>
    public static string? CheckPathPrefix(string prefix)
    {
        if (!prefix.StartsWith('/')) return "must start with '/'";
        foreach (char c in prefix)
        {
            if (c is '?' or '#') return $"has `{c}`; the prefix is matched against the path only, without query or fragment";
            if (c <= ' ' || c >= 127) return "has a space or a non-ASCII character; write it percent-encoded, as it arrives on the wire";
        }
        return null;
    }
}
