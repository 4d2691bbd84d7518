using System.Net;
using Proxy.Engine.Config.Schema;
using Proxy.Engine.Config.Toml;
using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Config;

/// <summary>
/// The shape of the configuration file: every table, its keys, their types, limits and defaults (the
/// defaults live in the records). This is the one place to change when a key is added: a supported key is
/// one line; a key of the public contract that this version does not implement yet is listed with
/// <see cref="TableSchema{T}.NotYetSupported"/> so the operator hears "not supported yet", not "unknown".
/// </summary>
internal static class ConfigSchema
{
    // Weights are summed by the balancers; this bound keeps a cluster's total far inside an int even with
    // thousands of destinations, and no sensible traffic split needs ratios finer than 1:10000.
    private const int MaxWeight = 10_000;

    private static readonly Choices<ListenerProtocol> Protocols = new(
        new Dictionary<string, ListenerProtocol>(StringComparer.Ordinal)
        {
            ["http1"] = ListenerProtocol.Http1,
            ["h2c"] = ListenerProtocol.H2c,
        },
        // "h2" needs TLS with ALPN, which listeners do not have yet.
        ["h2"]);

    private static readonly Choices<SocketTransport> Transports = new(
        new Dictionary<string, SocketTransport>(StringComparer.Ordinal)
        {
            ["epoll"] = SocketTransport.Epoll,
            ["sockets"] = SocketTransport.Sockets,
        },
        []);

    private static readonly Choices<BalancerKind> Balancers = new(
        new Dictionary<string, BalancerKind>(StringComparer.Ordinal)
        {
            ["round_robin"] = BalancerKind.RoundRobin,
            ["weighted_round_robin"] = BalancerKind.WeightedRoundRobin,
            ["random"] = BalancerKind.Random,
            ["least_conn"] = BalancerKind.LeastConn,
            ["p2c"] = BalancerKind.PowerOfTwoChoices,
            ["peak_ewma"] = BalancerKind.PeakEwma,
            ["consistent_hash"] = BalancerKind.ConsistentHash,
            ["sticky"] = BalancerKind.Sticky,
        },
        []);

    /// <summary>The <c>balancer</c> word for <paramref name="kind"/>, as written in the file.</summary>
    public static string BalancerName(BalancerKind kind) => Balancers.NameOf(kind);

    private static readonly TableSchema<ServerConfig> Server = new TableSchema<ServerConfig>("in [server]", () => new())
        .Integer("workers", 0, int.MaxValue, (c, v) => c with { Workers = v })
        .Duration("shutdown_timeout", allowZero: true, (c, v) => c with { ShutdownTimeout = v })
        .Boolean("release_idle_buffers", (c, v) => c with { ReleaseIdleBuffers = v })
        .Parsed<ServerConfig, SocketTransport>("transport", TryParseTransport, (c, v) => c with { Transport = v });

    private static readonly TableSchema<AdminConfig> Admin = new TableSchema<AdminConfig>("in [admin]", () => new())
        .Parsed<AdminConfig, IPEndPoint?>("listen", TryParseOptionalListen, (c, v) => c with { Listen = v })
        .String("token", (c, v) => c with { Token = v });

    // Windows: at least the RFC's 65535 default for a connection; at most 2^31-1 (RFC 9113 §6.9.1). The field limits
    // start at 4 KiB, below which ordinary browser requests no longer fit.
    private static readonly TableSchema<Http2LimitsConfig> Http2Limits = new TableSchema<Http2LimitsConfig>("in [limits.http2]", () => new())
        .Integer("max_concurrent_streams", 1, 1_000_000, (c, v) => c with { MaxConcurrentStreams = v })
        .Size("initial_stream_window", 1024, int.MaxValue, (c, v) => c with { InitialStreamWindow = (int)v })
        .Size("connection_window", 65_535, int.MaxValue, (c, v) => c with { ConnectionWindow = (int)v })
        .Size("max_header_list_size", 4096, 16 * 1024 * 1024, (c, v) => c with { MaxHeaderListSize = (int)v })
        .Size("max_field_block_size", 4096, 16 * 1024 * 1024, (c, v) => c with { MaxFieldBlockSize = (int)v })
        .Integer("max_continuation_frames", 0, 100_000, (c, v) => c with { MaxContinuationFrames = v })
        .Integer("reset_burst", 1, 1_000_000, (c, v) => c with { ResetBurst = v })
        .Integer("reset_rate", 1, 1_000_000, (c, v) => c with { ResetRate = v })
        .Integer("control_frame_burst", 1, 1_000_000, (c, v) => c with { ControlFrameBurst = v })
        .Integer("control_frame_rate", 1, 1_000_000, (c, v) => c with { ControlFrameRate = v })
        .Integer("window_updates_per_data_frame", 1, 1_000_000, (c, v) => c with { WindowUpdatesPerDataFrame = v })
        .Duration("zero_window_timeout", allowZero: false, (c, v) => c with { ZeroWindowTimeout = v });

    private static readonly TableSchema<LimitsConfig> Limits = new TableSchema<LimitsConfig>("in [limits]", () => new())
        // Below 1 KiB ordinary browser requests fail; above 1 MiB a head is an attack, not a request.
        .Size("max_request_head", 1024, 1024 * 1024, (c, v) => c with { MaxRequestHead = (int)v })
        .Integer("max_headers", 1, 10_000, (c, v) => c with { MaxHeaders = v })
        .Size("max_request_body", 0, long.MaxValue, (c, v) => c with { MaxRequestBody = v })
        .Duration("client_header_timeout", allowZero: false, (c, v) => c with { ClientHeaderTimeout = v })
        .Duration("client_idle_timeout", allowZero: false, (c, v) => c with { ClientIdleTimeout = v })
        .Integer("max_connections", 1, int.MaxValue, (c, v) => c with { MaxConnections = v })
        .Table("http2", Http2Limits, (c, v) => c with { Http2 = v });

    private static readonly TableSchema<AccessLogConfig> AccessLog = new TableSchema<AccessLogConfig>("in [access_log]", () => new())
        .Boolean("enabled", (c, v) => c with { Enabled = v })
        .String("path", (c, v) => c with { Path = v }, CheckAccessLogPath)
        .Ratio("sample_rate", (c, v) => c with { SampleRate = v })
        .Integer("max_queued_lines", 16, 1 << 20, (c, v) => c with { MaxQueuedLines = v })
        .Boolean("include_query", (c, v) => c with { IncludeQuery = v });

    private static readonly TableSchema<TracingConfig> Tracing = new TableSchema<TracingConfig>("in [tracing]", () => new())
        .Boolean("request_id", (c, v) => c with { RequestId = v })
        .Boolean("generate_traceparent", (c, v) => c with { GenerateTraceParent = v })
        .Ratio("sample_rate", (c, v) => c with { SampleRate = v });

    private static readonly TableSchema<ListenerConfig> Listener = new TableSchema<ListenerConfig>(
            "in [[listeners]]", () => new() { Name = "", Listen = Placeholders.Endpoint })
        .String("name", (c, v) => c with { Name = v }, TextRules.CheckName, required: true)
        .Parsed<ListenerConfig, IPEndPoint>("listen", TryParseListen, (c, v) => c with { Listen = v }, required: true)
        .StringList<ListenerConfig, ListenerProtocol>("protocols", Protocols.TryParse, "must list at least one protocol", (c, v) => c with { Protocols = v })
        .NotYetSupported("tls")
        .NotYetSupported("redirect_https");

    private static readonly TableSchema<SplitTargetConfig> SplitTarget = new TableSchema<SplitTargetConfig>("in a `split` entry", () => new() { Cluster = "" })
        .String("cluster", (c, v) => c with { Cluster = v }, TextRules.CheckName, required: true)
        .Integer("weight", 1, MaxWeight, (c, v) => c with { Weight = v }, required: true);

    private static readonly TableSchema<MirrorConfig> Mirror = new TableSchema<MirrorConfig>("in `mirror`", () => new() { Cluster = "" })
        .String("cluster", (c, v) => c with { Cluster = v }, TextRules.CheckName, required: true)
        .Key("percent", (c, value, context) => RouteKeyReaders.TryReadPercent(context, "percent", value, out double percent) ? c with { Percent = percent } : c)
        // A copy is sent once the request body is whole, so the bound is what one mirrored request may hold in memory.
        .Size("max_body", 0, 64 * 1024 * 1024, (c, v) => c with { MaxBody = v });

    private static readonly TableSchema<RedirectConfig> Redirect = new TableSchema<RedirectConfig>("in `redirect`", () => new() { To = "" })
        .String("to", (c, v) => c with { To = v }, RouteValues.CheckRedirectTarget, required: true)
        .Key("status", (c, value, context) => RouteKeyReaders.TryReadRedirectStatus(context, "status", value, out int status) ? c with { Status = status } : c, required: true);

    private static readonly TableSchema<DirectResponseConfig> Respond = new TableSchema<DirectResponseConfig>("in `respond`", () => new())
        .Integer("status", 100, 599, (c, v) => c with { Status = v }, required: true)
        .String("body", (c, v) => c with { Body = v })
        .String("content_type", (c, v) => c with { ContentType = v }, RouteValues.CheckHeaderValue);

    private static readonly TableSchema<RouteConfig> Route = new TableSchema<RouteConfig>("in [[routes]]", () => new() { Name = "" })
        .String("name", (c, v) => c with { Name = v }, TextRules.CheckName, required: true)
        .StringList<RouteConfig, string>("hosts", RouteHostParser.TryNormalize, "is empty; leave it out of the route to match any host", (c, v) => c with { Hosts = v })
        .String("path", (c, v) => c with { Path = v }, RouteValues.CheckPath)
        .String("path_prefix", (c, v) => c with { PathPrefix = v }, RouteValues.CheckPathPrefix)
        .Boolean("path_prefix_segments", (c, v) => c with { PathPrefixSegments = v })
        .String("path_regex", (c, v) => c with { PathRegex = v }, RouteValues.CheckRegex)
        .StringList<RouteConfig, string>("methods", RouteValues.TryParseMethod, "is empty; leave it out of the route to allow any method", (c, v) => c with { Methods = v })
        .Key("headers", (c, value, context) => RouteKeyReaders.ReadFieldMatches(context, "headers", value, headers: true) is { } list ? c with { Headers = list } : c)
        .Key("query", (c, value, context) => RouteKeyReaders.ReadFieldMatches(context, "query", value, headers: false) is { } list ? c with { Query = list } : c)
        .Integer("priority", int.MinValue, int.MaxValue, (c, v) => c with { Priority = v })
        .String("cluster", (c, v) => c with { Cluster = v }, TextRules.CheckName)
        .Key("split", (c, value, context) => RouteKeyReaders.ReadSplit(context, SplitTarget, value) is { } list ? c with { Split = list } : c)
        .Parsed<RouteConfig, HashKeySource>("split_key", HashKeyParser.TryParse, (c, v) => c with { SplitKey = v })
        .String("strip_prefix", (c, v) => c with { StripPrefix = v }, RouteValues.CheckRewritePrefix)
        .String("add_prefix", (c, v) => c with { AddPrefix = v }, RouteValues.CheckRewritePrefix)
        .String("upstream_host", (c, v) => c with { UpstreamHost = v }, RouteValues.CheckUpstreamHost)
        .Key("set_headers", (c, value, context) => RouteKeyReaders.ReadHeaderValues(context, "set_headers", value) is { } list ? c with { SetHeaders = list } : c)
        .StringList<RouteConfig, string>("remove_headers", RouteValues.TryParseEditableHeaderName, "is empty; leave it out of the route", (c, v) => c with { RemoveHeaders = v })
        .Key("response_set_headers", (c, value, context) => RouteKeyReaders.ReadHeaderValues(context, "response_set_headers", value) is { } list ? c with { ResponseSetHeaders = list } : c)
        .StringList<RouteConfig, string>("response_remove_headers", RouteValues.TryParseEditableHeaderName, "is empty; leave it out of the route", (c, v) => c with { ResponseRemoveHeaders = v })
        .Table("redirect", Redirect, (c, v) => c with { Redirect = v })
        .Table("respond", Respond, (c, v) => c with { Respond = v })
        .Table("mirror", Mirror, (c, v) => c with { Mirror = v });

    private static readonly TableSchema<DestinationConfig> Destination = new TableSchema<DestinationConfig>(
            "in a destination", () => new() { Address = "", Host = "", Port = 0 })
        .Parsed<DestinationConfig, (string Address, string Host, int Port)>(
            "address", TryParseDestination, (c, v) => c with { Address = v.Address, Host = v.Host, Port = v.Port }, required: true)
        .Integer("weight", 1, MaxWeight, (c, v) => c with { Weight = v });

    private static readonly TableSchema<PoolConfig> Pool = new TableSchema<PoolConfig>("in [clusters.pool]", () => new())
        .Integer("max_idle", 0, int.MaxValue, (c, v) => c with { MaxIdle = v })
        .Integer("max_connections", 1, int.MaxValue, (c, v) => c with { MaxConnections = v })
        .Duration("idle_timeout", allowZero: false, (c, v) => c with { IdleTimeout = v })
        .Duration("connect_timeout", allowZero: false, (c, v) => c with { ConnectTimeout = v });

    private static readonly TableSchema<ClusterTimeoutsConfig> Timeouts = new TableSchema<ClusterTimeoutsConfig>("in [clusters.timeouts]", () => new())
        .Duration("response_header", allowZero: false, (c, v) => c with { ResponseHeader = v })
        .Duration("idle", allowZero: false, (c, v) => c with { Idle = v });

    private static readonly TableSchema<ClusterConfig> Cluster = new TableSchema<ClusterConfig>("in [[clusters]]", () => new() { Name = "" })
        .String("name", (c, v) => c with { Name = v }, TextRules.CheckName, required: true)
        .Parsed<ClusterConfig, BalancerKind>("balancer", Balancers.TryParse, (c, v) => c with { Balancer = v })
        .Key("destinations", (c, value, context) => ReadDestinations(value, context) is { } list ? c with { Destinations = list } : c, required: true)
        .Table("pool", Pool, (c, v) => c with { Pool = v })
        .Table("timeouts", Timeouts, (c, v) => c with { Timeouts = v })
        .Parsed<ClusterConfig, HashKeySource>("hash_key", HashKeyParser.TryParse, (c, v) => c with { HashKey = v })
        .Table("health", ClusterHealthSchema.Health, (c, v) => c with { Health = v with { CircuitBreaker = c.Health.CircuitBreaker } })
        .Table("circuit_breaker", ClusterHealthSchema.CircuitBreaker, (c, v) => c with { Health = c.Health with { CircuitBreaker = v } })
        .Table("retry", ClusterHealthSchema.Retry, (c, v) => c with { Retry = v })
        .Check(ClusterHealthSchema.CheckHashKey);

    public static readonly TableSchema<ProxyConfig> Root = new TableSchema<ProxyConfig>("at the top level", () => new())
        .Table("server", Server, (c, v) => c with { Server = v })
        .Table("admin", Admin, (c, v) => c with { Admin = v })
        .Table("limits", Limits, (c, v) => c with { Limits = v })
        .TableArray("listeners", Listener, (c, v) => c with { Listeners = v })
        .TableArray("routes", Route, (c, v) => c with { Routes = v })
        .TableArray("clusters", Cluster, (c, v) => c with { Clusters = v })
        .Table("access_log", AccessLog, (c, v) => c with { AccessLog = v })
        .Table("tracing", Tracing, (c, v) => c with { Tracing = v })
        // Read by the loader (ConfigIncludes) before the schema runs; listed so it is not "unknown".
        .Key(ConfigIncludes.Key, (config, _, _) => config);

    // A list of inline tables, checked one by one, then for the same destination written twice.
    private static List<DestinationConfig>? ReadDestinations(TomlValue value, ReadContext context)
    {
        if (value is TomlArray { Items.Count: 0 })
        {
            context.Errors.Add(value.Position, "`destinations` must list at least one destination, like { address = \"10.0.0.5:8080\" }");
            return null;
        }
        if (!ValueReader.TryTableArray(context, "destinations", value, out List<TomlTable> tables)) return null;

        var destinations = new List<DestinationConfig>(tables.Count);
        var firstByEndpoint = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        foreach (TomlTable table in tables)
        {
            DestinationConfig destination = Destination.Read(table, context);
            destinations.Add(destination);
            if (destination.Port == 0) continue;    // its address was missing or wrong, and said so

            // "10.0.0.5:80" and "[::1]:80" compare by address, names without regard to case.
            string endpoint = IPAddress.TryParse(destination.Host, out IPAddress? ip)
                ? $"{ip}:{destination.Port}"
                : $"{destination.Host.ToLowerInvariant()}:{destination.Port}";
            if (firstByEndpoint.TryGetValue(endpoint, out DestinationConfig? first))
            {
                int firstLine = context.PositionOf(first, "address").Line;
                context.Errors.Add(context.PositionOf(destination, "address"),
                    $"destination \"{destination.Address}\" is already listed in this cluster at line {firstLine}; list it once, with a larger weight if it should take more traffic");
            }
            else
            {
                firstByEndpoint.Add(endpoint, destination);
            }
        }
        return destinations;
    }

    // A relative path would depend on the directory the service happens to start in (often / under systemd).
    private static string? CheckAccessLogPath(string path) =>
        path == AccessLogConfig.StandardOutput || System.IO.Path.IsPathFullyQualified(path)
            ? null
            : "must be \"stdout\" or an absolute file path like \"/var/log/proxy/access.log\"";

    private static bool TryParseListen(string text, out IPEndPoint endpoint, out string problem)
    {
        bool parsed = EndpointParser.TryParseListen(text, out IPEndPoint? result, out problem);
        endpoint = result ?? Placeholders.Endpoint;
        return parsed;
    }

    // "" turns the admin listener off; anything else must be a listening address.
    private static bool TryParseTransport(string text, out SocketTransport transport, out string problem)
    {
        if (!Transports.TryParse(text, out transport, out problem)) return false;
        if (transport == SocketTransport.Epoll && !OperatingSystem.IsLinux())
        {
            problem = "is Linux only; use \"sockets\" on this system";
            return false;
        }
        return true;
    }

    private static bool TryParseOptionalListen(string text, out IPEndPoint? endpoint, out string problem)
    {
        problem = "";
        endpoint = null;
        return text.Length == 0 || EndpointParser.TryParseListen(text, out endpoint, out problem);
    }

    private static bool TryParseDestination(string text, out (string Address, string Host, int Port) destination, out string problem)
    {
        bool parsed = EndpointParser.TryParseDestination(text, out string host, out int port, out problem);
        destination = (text, host, port);
        return parsed;
    }
}
