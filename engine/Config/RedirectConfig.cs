namespace Proxy.Engine.Config;

/// <summary>A route's <c>redirect = { to = "https://{host}{path}{query}", status = 308 }</c>.</summary>
public sealed record RedirectConfig
{
    /// <summary><c>to</c>: the Location template; <c>{scheme}</c>, <c>{host}</c>, <c>{path}</c> and <c>{query}</c> are filled from the request.</summary>
    public required string To { get; init; }
    /// <summary><c>status</c>: 301, 302, 303, 307 or 308.</summary>
    public int Status { get; init; }
}
