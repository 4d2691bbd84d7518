namespace Proxy.Engine.Config;

/// <summary>Where a request key (<c>split_key</c>) is read from.</summary>
public enum RequestKeySource
{
    /// <summary><c>header:NAME</c>: the first field of that name.</summary>
    Header,
    /// <summary><c>cookie:NAME</c>: that cookie of the Cookie header.</summary>
    Cookie,
    /// <summary><c>query:NAME</c>: that query parameter.</summary>
    Query,
    /// <summary><c>client_ip</c>: the client's address.</summary>
    ClientIp,
    /// <summary><c>path</c>: the request path.</summary>
    Path,
}
