namespace Proxy.Engine.Config.Values;

/// <summary>Parses <c>hash_key</c> and <c>split_key</c>: "header:NAME", "cookie:NAME", "query:NAME", "client_ip" or "path".</summary>
internal static class HashKeyParser
{
    public static bool TryParse(string text, out HashKeySource key, out string problem)
    {
        key = HashKeySource.DefaultStickyCookie;
        problem = "";
        switch (text)
        {
            case "client_ip":
                key = new HashKeySource(HashKeyKind.ClientIp, "");
                return true;
            case "path":
                key = new HashKeySource(HashKeyKind.Path, "");
                return true;
        }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        string name = colon < 0 ? "" : text[(colon + 1)..];
        HashKeyKind? parsed = kind switch
        {
            "header" => HashKeyKind.Header,
            "cookie" => HashKeyKind.Cookie,
            "query" => HashKeyKind.Query,
            _ => null,
        };
        if (parsed is null)
        {
            problem = "is not one of: header:NAME, cookie:NAME, query:NAME, client_ip, path";
            return false;
        }
        if (name.Length == 0 || !IsToken(name))
        {
            problem = $"needs a name after \"{kind}:\" made of letters, digits and -_.!#$%&'*+^`|~";
            return false;
        }
        // Header names compare case-insensitively; cookie and query names do not.
        key = new HashKeySource(parsed.Value, parsed == HashKeyKind.Header ? name.ToLowerInvariant() : name);
        return true;
    }

    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c, StringComparison.Ordinal) < 0) return false;
        }
        return true;
    }
}
