using Prometheus;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Metrics;

/// <summary>
/// Every metric family the proxy exports: name, help text and label names in one place (the table in the report and
/// the README are copies of this file). Names follow Prometheus conventions: <c>proxy_</c> prefix, <c>_total</c> on
/// counters, base units (<c>_seconds</c>, <c>_bytes</c>).
/// </summary>
internal sealed class MetricFamilies
{
    public const string RouteLabel = "route";
    public const string ClusterLabel = "cluster";
    public const string DestinationLabel = "destination";

    public MetricFamilies(CollectorRegistry registry)
    {
        IMetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        // Exemplars would read Activity.Current on every update; the proxy does not use them.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        string[] route = [RouteLabel];
        string[] cluster = [ClusterLabel];
        string[] destination = [ClusterLabel, DestinationLabel];
        var suppressed = new CounterConfiguration { SuppressInitialValue = true };
        var durations = new HistogramConfiguration { Buckets = ProxyMetrics.DurationBuckets };

        // Requests, by route (fed by RequestObservers).
        Requests = factory.CreateCounter("proxy_requests_total",
            "Requests answered, by route, cluster and status class (route=\"\" for requests that matched no route or were refused before routing).",
            [RouteLabel, ClusterLabel, "status_class"]);
        RequestErrors = factory.CreateCounter("proxy_request_errors_total",
            "Requests that did not get a complete upstream answer, by route, cluster and reason.",
            [RouteLabel, ClusterLabel, "reason"], suppressed);
        RequestDuration = factory.CreateHistogram("proxy_request_duration_seconds",
            "Time from a complete request head to the end of the response, by route.", route, durations);
        UpstreamDuration = factory.CreateHistogram("proxy_upstream_duration_seconds",
            "Time from taking an upstream connection to the final response head (retries included), by route.", route, durations);
        ReceivedBytes = factory.CreateCounter("proxy_received_bytes_total", "Bytes received from clients (heads and bodies), by route.", route);
        SentBytes = factory.CreateCounter("proxy_sent_bytes_total", "Bytes sent to clients (heads and bodies), by route.", route);

        // Clusters: retries, budget, panic.
        Retries = factory.CreateCounter("proxy_retries_total", "Upstream attempts after the first, by cluster.", cluster);
        RetryBudgetExhausted = factory.CreateCounter("proxy_retry_budget_exhausted_total",
            "Times the retry budget ran out (once per spell), by cluster.", cluster);
        Panic = factory.CreateGauge("proxy_cluster_panic", "1 while the cluster is in panic mode (no usable destination, so all are used).", cluster);
        PanicActivations = factory.CreateCounter("proxy_cluster_panic_activations_total", "Times the cluster entered panic mode.", cluster);

        // Destinations: upstream requests and pools (read at scrape time), health (events).
        UpstreamRequests = factory.CreateCounter("proxy_upstream_requests_total", "Upstream attempts sent, by cluster and destination.", destination);
        UpstreamRequestsActive = factory.CreateGauge("proxy_upstream_requests_active", "Upstream attempts in flight, by cluster and destination.", destination);
        PoolIdle = factory.CreateGauge("proxy_upstream_connections_idle", "Open upstream connections not carrying a request.", destination);
        PoolActive = factory.CreateGauge("proxy_upstream_connections_active", "Upstream connections carrying a request (or being opened for one).", destination);
        PoolOpened = factory.CreateCounter("proxy_upstream_connections_opened_total", "Upstream connections opened.", destination);
        PoolReused = factory.CreateCounter("proxy_upstream_connections_reused_total", "Requests sent on an idle pooled connection.", destination);
        PoolClosed = factory.CreateCounter("proxy_upstream_connections_closed_total", "Upstream connections closed, by reason.",
            [ClusterLabel, DestinationLabel, "reason"], suppressed);
        Health = factory.CreateGauge("proxy_destination_health",
            "Active health verdict: 1 for the current state (unknown, healthy, unhealthy), 0 for the others.", [ClusterLabel, DestinationLabel, "state"]);
        Circuit = factory.CreateGauge("proxy_destination_circuit_state",
            "Circuit breaker: 1 for the current state (closed, open, half_open), 0 for the others.", [ClusterLabel, DestinationLabel, "state"]);
        Ejected = factory.CreateGauge("proxy_destination_ejected", "1 while outlier detection has the destination ejected.", destination);
        Ejections = factory.CreateCounter("proxy_destination_ejections_total", "Times outlier detection ejected the destination.", destination);

        // The process: connections, parser rejections, upstream failures (from ProxyStats at scrape time).
        ConnectionsAccepted = factory.CreateCounter("proxy_connections_accepted_total", "Client connections accepted.");
        ConnectionsActive = factory.CreateGauge("proxy_connections_active", "Client connections open.");
        RequestsActive = factory.CreateGauge("proxy_requests_active", "Requests in flight.");
        Rejected = factory.CreateCounter("proxy_rejected_requests_total", "Requests refused by the parser, by reason.", ["reason"]);
        RejectedChildren = new Counter.Child?[Enum.GetValues<RejectReason>().Length];
        foreach (RejectReason reason in Enum.GetValues<RejectReason>())
        {
            if (reason != RejectReason.None) RejectedChildren[(int)reason] = Rejected.WithLabels(MetricNames.SnakeCase(reason.ToString()));
        }
        Counter http2Defences = factory.CreateCounter("proxy_http2_defence_total",
            "HTTP/2 defences that acted (a stream refused or reset, or a connection ended), by reason; keys in [limits.http2].", ["reason"]);
        Http2DefenceChildren = new Counter.Child[Enum.GetValues<Http2Defence>().Length];
        foreach (Http2Defence defence in Enum.GetValues<Http2Defence>())
        {
            Http2DefenceChildren[(int)defence] = http2Defences.WithLabels(MetricNames.SnakeCase(defence.ToString()));
        }
        Counter upstreamFailures = factory.CreateCounter("proxy_upstream_failures_total",
            "Upstream exchanges that failed, by kind (connect_failure, timeout, error).", ["kind"]);
        UpstreamConnectFailures = upstreamFailures.WithLabels("connect_failure");
        UpstreamTimeouts = upstreamFailures.WithLabels("timeout");
        UpstreamErrors = upstreamFailures.WithLabels("error");
        UpstreamStaleRetries = factory.CreateCounter("proxy_upstream_stale_connection_retries_total",
            "Requests re-sent on a new connection because the reused one had been closed by the upstream while idle.");
        Counter mirrors = factory.CreateCounter("proxy_mirror_requests_total",
            "Copies of requests sent to mirror clusters, by result (sent, failed, dropped).", ["result"]);
        MirrorChildren = [.. Enum.GetValues<MirrorResult>().Select(result => mirrors.WithLabels(MetricNames.SnakeCase(result.ToString())))];

        // Configuration.
        Counter reloads = factory.CreateCounter("proxy_config_reloads_total", "Configuration reloads, by result (success, failure).", ["result"]);
        ReloadSuccesses = reloads.WithLabels("success");
        ReloadFailures = reloads.WithLabels("failure");
        ConfigErrors = factory.CreateCounter("proxy_config_errors_total", "Errors found in configurations that were refused.");
        ConfigLastSuccess = factory.CreateGauge("proxy_config_last_reload_success_timestamp_seconds",
            "When the running configuration was loaded (Unix time).");
        ConfigVersion = factory.CreateGauge("proxy_config_version", "Version of the routing snapshot in use; increases with every reload.");

        // The runtime (read at scrape time).
        AllocatedBytes = factory.CreateCounter("proxy_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        Counter collections = factory.CreateCounter("proxy_gc_collections_total", "Garbage collections, by generation.", ["generation"]);
        GcCollections = [collections.WithLabels("0"), collections.WithLabels("1"), collections.WithLabels("2")];
        GcPauseSeconds = factory.CreateCounter("proxy_gc_pause_seconds_total", "Time the garbage collector paused the process.");
        GcHeapBytes = factory.CreateGauge("proxy_gc_heap_bytes", "Bytes thought to be allocated on the managed heap.");

        // The access log.
        AccessLogLines = factory.CreateCounter("proxy_access_log_lines_total", "Access log lines written.");
        AccessLogDropped = factory.CreateCounter("proxy_access_log_dropped_lines_total",
            "Access log lines dropped because the writer was behind and its queue full.");
        AccessLogWriteErrors = factory.CreateCounter("proxy_access_log_write_errors_total",
            "Failed writes to the access log's file (the lines of a failed write are lost).");
    }

    public Counter Requests { get; }
    public Counter RequestErrors { get; }
    public Histogram RequestDuration { get; }
    public Histogram UpstreamDuration { get; }
    public Counter ReceivedBytes { get; }
    public Counter SentBytes { get; }

    public Counter Retries { get; }
    public Counter RetryBudgetExhausted { get; }
    public Gauge Panic { get; }
    public Counter PanicActivations { get; }

    public Counter UpstreamRequests { get; }
    public Gauge UpstreamRequestsActive { get; }
    public Gauge PoolIdle { get; }
    public Gauge PoolActive { get; }
    public Counter PoolOpened { get; }
    public Counter PoolReused { get; }
    public Counter PoolClosed { get; }
    public Gauge Health { get; }
    public Gauge Circuit { get; }
    public Gauge Ejected { get; }
    public Counter Ejections { get; }

    public Counter ConnectionsAccepted { get; }
    public Gauge ConnectionsActive { get; }
    public Gauge RequestsActive { get; }
    public Counter Rejected { get; }
    public Counter.Child?[] RejectedChildren { get; }
    public Counter.Child[] Http2DefenceChildren { get; }
    public Counter.Child UpstreamConnectFailures { get; }
    public Counter.Child UpstreamTimeouts { get; }
    public Counter.Child UpstreamErrors { get; }
    public Counter UpstreamStaleRetries { get; }
    public Counter.Child[] MirrorChildren { get; }

    public Counter.Child ReloadSuccesses { get; }
    public Counter.Child ReloadFailures { get; }
    public Counter ConfigErrors { get; }
    public Gauge ConfigLastSuccess { get; }
    public Gauge ConfigVersion { get; }

    public Counter AllocatedBytes { get; }
    public Counter.Child[] GcCollections { get; }
    public Counter GcPauseSeconds { get; }
    public Gauge GcHeapBytes { get; }

    public Counter AccessLogLines { get; }
    public Counter AccessLogDropped { get; }
    public Counter AccessLogWriteErrors { get; }
}
