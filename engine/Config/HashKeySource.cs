namespace Proxy.Engine.Config;

/// <summary>What part of a request a cluster's <c>hash_key</c> (or a route's <c>split_key</c>) takes: header:NAME, cookie:NAME, query:NAME, client_ip or path.</summary>
public enum HashKeyKind
{
    /// <summary>The value of a request header.</summary>
    Header,
    /// <summary>The value of a cookie (also the cookie sticky sessions set).</summary>
    Cookie,
    /// <summary>The value of a query parameter.</summary>
    Query,
    /// <summary>The client's address.</summary>
    ClientIp,
    /// <summary>The request path.</summary>
    Path,
}

/// <summary><c>hash_key</c> or <c>split_key</c> parsed: the kind and, for header/cookie/query, the name (headers lower-cased).</summary>
public sealed record HashKeySource(HashKeyKind Kind, string Name)
{
    /// <summary>The cookie sticky sessions use when <c>hash_key</c> is not given.</summary>
    public static HashKeySource DefaultStickyCookie { get; } = new(HashKeyKind.Cookie, "proxy_sticky");

    public override string ToString() => Kind switch
    {
        HashKeyKind.Header => $"header:{Name}",
        HashKeyKind.Cookie => $"cookie:{Name}",
        HashKeyKind.Query => $"query:{Name}",
        HashKeyKind.ClientIp => "client_ip",
        _ => "path",
    };
}
