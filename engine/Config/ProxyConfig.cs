namespace Proxy.Engine.Config;

/// <summary>
/// The whole configuration as the operator wrote it (TOML, see configs/ and the README), after parsing and
/// validation, with every default filled in. Plain immutable data: compiling it into runtime objects is the
/// job of <c>Proxy.Engine.Routing</c>.
/// </summary>
public sealed record ProxyConfig
{
    /// <summary><c>[server]</c></summary>
    public ServerConfig Server { get; init; } = new();
    /// <summary><c>[admin]</c></summary>
    public AdminConfig Admin { get; init; } = new();
    /// <summary><c>[limits]</c></summary>
    public LimitsConfig Limits { get; init; } = new();
    /// <summary><c>[access_log]</c></summary>
    public AccessLogConfig AccessLog { get; init; } = new();
    /// <summary><c>[tracing]</c></summary>
    public TracingConfig Tracing { get; init; } = new();
    /// <summary><c>[[listeners]]</c>, in file order.</summary>
    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];
    /// <summary><c>[[routes]]</c>, in file order.</summary>
    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];
    /// <summary><c>[[clusters]]</c>, in file order.</summary>
    public IReadOnlyList<ClusterConfig> Clusters { get; init; } = [];
    /// <summary>The file this was loaded from, or a name such as "(embedded default)".</summary>
    public string SourcePath { get; init; } = "";
    /// <summary>Every file read, the main one first, then included ones in merge order: what a reload watches.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];
    /// <summary>Directories an include wildcard reads: a new *.toml there is a configuration change.</summary>
    public IReadOnlyList<string> IncludeDirectories { get; init; } = [];
    /// <summary>SHA-256 of the files' names and contents: an unchanged hash means an unchanged configuration.</summary>
    public string ContentHash { get; init; } = "";
}
