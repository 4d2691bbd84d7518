namespace Proxy.Engine.Config;

/// <summary>One <c>[[routes]]</c> entry: which requests it takes, and which cluster serves them.</summary>
public sealed record RouteConfig
{
    /// <summary><c>name</c>: unique, used in logs and metrics.</summary>
    public required string Name { get; init; }
    /// <summary><c>hosts</c>: exact ("api.example.com") or leading-wildcard ("*.example.org"); empty = any host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary><c>path_prefix</c>: the request path must start with it; null = any path.</summary>
    public string? PathPrefix { get; init; }
    /// <summary><c>priority</c>: higher wins; ties go to the more specific match, then to file order.</summary>
    public int Priority { get; init; }
    /// <summary><c>cluster</c>: name of the cluster that serves the route.</summary>
    public required string Cluster { get; init; }
}
