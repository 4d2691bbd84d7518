namespace Proxy.Engine.Config;

/// <summary>
/// One <c>[[routes]]</c> entry: which requests it takes (hosts, path, methods, headers, query) and what is done
/// with them (forwarded to a cluster or split over several, rewritten, mirrored, redirected, or answered directly).
/// </summary>
public sealed record RouteConfig
{
    /// <summary><c>name</c>: unique, used in logs and metrics.</summary>
    public required string Name { get; init; }
    /// <summary><c>hosts</c>: exact ("api.example.com") or leading-wildcard ("*.example.org"), lower-case; empty = any host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary><c>path</c>: the normalised request path must be exactly this; null = not an exact-path route.</summary>
    public string? Path { get; init; }
    /// <summary><c>path_prefix</c>: the normalised request path must start with it; null = not a prefix route.</summary>
    public string? PathPrefix { get; init; }
    /// <summary>
    /// <c>path_prefix_segments</c>: the prefix matches whole segments only ("/api" takes "/api" and "/api/x", not "/apix").
    /// </summary>
    public bool PathPrefixSegments { get; init; }
    /// <summary><c>path_regex</c>: a regular expression searched for in the normalised path (not anchored).</summary>
    public string? PathRegex { get; init; }
    /// <summary><c>methods</c>: the request method must be one of these (case-sensitive tokens); empty = any method.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];
    /// <summary><c>headers</c>: conditions on request header fields, all of which must hold.</summary>
    public IReadOnlyList<FieldMatchConfig> Headers { get; init; } = [];
    /// <summary><c>query</c>: conditions on query parameters, all of which must hold.</summary>
    public IReadOnlyList<FieldMatchConfig> Query { get; init; } = [];
    /// <summary><c>priority</c>: higher wins; ties go to the more specific match, then to file order.</summary>
    public int Priority { get; init; }
    /// <summary><c>cluster</c>: name of the cluster that serves the route; null when it splits, redirects or responds.</summary>
    public string? Cluster { get; init; }
    /// <summary><c>split</c>: clusters sharing the route's traffic by weight, instead of one <see cref="Cluster"/>.</summary>
    public IReadOnlyList<SplitTargetConfig> Split { get; init; } = [];
    /// <summary><c>split_key</c>: what keeps one client on one side of a split; null = each request drawn at random.</summary>
    public HashKeySource? SplitKey { get; init; }
    /// <summary><c>strip_prefix</c>: removed from the start of the path before forwarding, on a segment boundary.</summary>
    public string? StripPrefix { get; init; }
    /// <summary><c>add_prefix</c>: put in front of the path (after <see cref="StripPrefix"/>) before forwarding.</summary>
    public string? AddPrefix { get; init; }
    /// <summary><c>upstream_host</c>: the Host sent upstream instead of the client's.</summary>
    public string? UpstreamHost { get; init; }
    /// <summary><c>set_headers</c>: request header fields set (replacing any the client sent) before forwarding.</summary>
    public IReadOnlyList<HeaderValueConfig> SetHeaders { get; init; } = [];
    /// <summary><c>remove_headers</c>: request header fields removed before forwarding.</summary>
    public IReadOnlyList<string> RemoveHeaders { get; init; } = [];
    /// <summary><c>response_set_headers</c>: response header fields set before the response reaches the client.</summary>
    public IReadOnlyList<HeaderValueConfig> ResponseSetHeaders { get; init; } = [];
    /// <summary><c>response_remove_headers</c>: response header fields removed before the response reaches the client.</summary>
    public IReadOnlyList<string> ResponseRemoveHeaders { get; init; } = [];
    /// <summary><c>redirect</c>: answer with a redirect instead of forwarding.</summary>
    public RedirectConfig? Redirect { get; init; }
    /// <summary><c>respond</c>: answer with a fixed response instead of forwarding.</summary>
    public DirectResponseConfig? Respond { get; init; }
    /// <summary><c>mirror</c>: a copy of a share of the requests sent to another cluster, whose answers are dropped.</summary>
    public MirrorConfig? Mirror { get; init; }
}
