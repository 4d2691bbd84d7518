using Proxy.Engine.Config;
using Proxy.Engine.Metrics;
using Proxy.Health;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Tests.Metrics;

/// <summary>Known traffic in, a scrape out: exact values and exact label sets.</summary>
public sealed class ProxyMetricsTests : IDisposable
{
    private readonly MetricsTestBed _bed = new();

    [Fact]
    public void Scrape_AfterKnownTraffic_CountsRequestsByRouteClusterAndStatusClass()
    {
        for (int i = 0; i < 3; i++) _bed.Complete(_bed.Api, 200);
        _bed.Complete(_bed.Api, 304);
        _bed.Complete(_bed.Api, 502, error: RequestError.ConnectFailure, retries: 2);
        _bed.Complete(_bed.Web, 200);
        _bed.Complete(null, 404, upstreamSeconds: 0, error: RequestError.NoRoute);

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(3, samples["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"2xx\"}"]);
        Assert.Equal(1, samples["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"3xx\"}"]);
        Assert.Equal(1, samples["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"5xx\"}"]);
        Assert.Equal(0, samples["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"4xx\"}"]);
        Assert.Equal(1, samples["proxy_requests_total{route=\"web\",cluster=\"web\",status_class=\"2xx\"}"]);
        Assert.Equal(1, samples["proxy_requests_total{route=\"\",cluster=\"\",status_class=\"4xx\"}"]);
        Assert.Equal(1, samples["proxy_request_errors_total{route=\"api\",cluster=\"api\",reason=\"connect_failure\"}"]);
        Assert.Equal(1, samples["proxy_request_errors_total{route=\"\",cluster=\"\",reason=\"no_route\"}"]);
        Assert.Equal(2, samples["proxy_retries_total{cluster=\"api\"}"]);
        Assert.Equal(0, samples["proxy_retries_total{cluster=\"web\"}"]);
        Assert.Equal(500, samples["proxy_received_bytes_total{route=\"api\"}"]);
        Assert.Equal(5000, samples["proxy_sent_bytes_total{route=\"api\"}"]);
    }

    [Fact]
    public void Scrape_RequestsTotal_HasExactlyOneSeriesPerRouteAndStatusClass()
    {
        _bed.Complete(_bed.Api, 200);

        string[] labelSets = MetricsTestBed.LabelSets(_bed.Scrape(), "proxy_requests_total");

        string[] expected = new[] { ("", ""), ("api", "api"), ("web", "web") }
            .SelectMany(route => new[] { "1xx", "2xx", "3xx", "4xx", "5xx" }
                .Select(statusClass => $"{{route=\"{route.Item1}\",cluster=\"{route.Item2}\",status_class=\"{statusClass}\"}}"))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, labelSets);
    }

    [Fact]
    public void Scrape_ErrorsNeverSeen_HaveNoSeries()
    {
        _bed.Complete(_bed.Api, 504, error: RequestError.ResponseHeaderTimeout);

        Assert.Equal(["{route=\"api\",cluster=\"api\",reason=\"response_header_timeout\"}"],
            MetricsTestBed.LabelSets(_bed.Scrape(), "proxy_request_errors_total"));
    }

    [Fact]
    public void Scrape_Durations_LandInTheirBucketsWithExactCountAndSum()
    {
        _bed.Complete(_bed.Api, 200, seconds: 0.0004, upstreamSeconds: 0.0003);
        _bed.Complete(_bed.Api, 200, seconds: 0.003, upstreamSeconds: 0.002);
        _bed.Complete(_bed.Api, 200, seconds: 2, upstreamSeconds: 0);     // no upstream timing: not observed upstream

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(3, samples["proxy_request_duration_seconds_count{route=\"api\"}"]);
        Assert.Equal(2.0034, samples["proxy_request_duration_seconds_sum{route=\"api\"}"], 6);
        Assert.Equal(1, samples["proxy_request_duration_seconds_bucket{route=\"api\",le=\"0.0005\"}"]);
        Assert.Equal(1, samples["proxy_request_duration_seconds_bucket{route=\"api\",le=\"0.0025\"}"]);
        Assert.Equal(2, samples["proxy_request_duration_seconds_bucket{route=\"api\",le=\"0.005\"}"]);
        Assert.Equal(2, samples["proxy_request_duration_seconds_bucket{route=\"api\",le=\"1\"}"]);
        Assert.Equal(3, samples["proxy_request_duration_seconds_bucket{route=\"api\",le=\"2.5\"}"]);
        Assert.Equal(3, samples["proxy_request_duration_seconds_bucket{route=\"api\",le=\"+Inf\"}"]);
        Assert.Equal(2, samples["proxy_upstream_duration_seconds_count{route=\"api\"}"]);
        Assert.Equal(1, samples["proxy_upstream_duration_seconds_bucket{route=\"api\",le=\"0.0005\"}"]);
        Assert.Equal(0, samples["proxy_request_duration_seconds_count{route=\"web\"}"]);
    }

    [Fact]
    public void Scrape_ProcessCounters_ComeFromProxyStats()
    {
        _bed.Stats.ConnectionOpened();
        _bed.Stats.ConnectionOpened();
        _bed.Stats.ConnectionClosed();
        _bed.Stats.RequestStarted();
        _bed.Stats.Rejected(RejectReason.HeadTooLarge);
        _bed.Stats.Rejected(RejectReason.HeadTooLarge);
        _bed.Stats.UpstreamConnectFailed();
        _bed.Stats.RetriedStaleConnection();

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(2, samples["proxy_connections_accepted_total"]);
        Assert.Equal(1, samples["proxy_connections_active"]);
        Assert.Equal(1, samples["proxy_requests_active"]);
        Assert.Equal(2, samples["proxy_rejected_requests_total{reason=\"head_too_large\"}"]);
        Assert.Equal(0, samples["proxy_rejected_requests_total{reason=\"missing_host\"}"]);
        Assert.DoesNotContain("proxy_rejected_requests_total{reason=\"none\"}", samples.Keys);
        Assert.Equal(1, samples["proxy_upstream_failures_total{kind=\"connect_failure\"}"]);
        Assert.Equal(0, samples["proxy_upstream_failures_total{kind=\"timeout\"}"]);
        Assert.Equal(1, samples["proxy_upstream_stale_connection_retries_total"]);
    }

    [Fact]
    public void Scrape_TwoScrapes_DoNotCountTwice()
    {
        _bed.Stats.ConnectionOpened();
        _bed.Snapshot.Clusters["api"].Destinations[0].State.OnRequestStart();
        _bed.Scrape();

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(1, samples["proxy_connections_accepted_total"]);
        Assert.Equal(1, samples[$"proxy_upstream_requests_total{{cluster=\"api\",destination=\"{MetricsTestBed.Api1}\"}}"]);
        Assert.Equal(1, samples[$"proxy_upstream_requests_active{{cluster=\"api\",destination=\"{MetricsTestBed.Api1}\"}}"]);
    }

    [Fact]
    public void Scrape_RuntimeFigures_ArePresentAndPlausible()
    {
        Dictionary<string, double> samples = _bed.Scrape();

        Assert.True(samples["proxy_allocated_bytes_total"] > 0);
        Assert.True(samples["proxy_gc_collections_total{generation=\"0\"}"] >= 0);
        Assert.Contains("proxy_gc_collections_total{generation=\"2\"}", samples.Keys);
        Assert.Contains("proxy_gc_pause_seconds_total", samples.Keys);
        Assert.True(samples["proxy_gc_heap_bytes"] > 0);
        Assert.Contains("process_cpu_seconds_total", samples.Keys);
        Assert.Equal(_bed.Snapshot.Version, samples["proxy_config_version"]);
    }

    [Fact]
    public void Scrape_EveryFamily_FollowsPrometheusNaming()
    {
        string text = _bed.ScrapeText();

        foreach (string line in text.Split('\n').Where(line => line.StartsWith("# TYPE proxy_", StringComparison.Ordinal)))
        {
            string[] parts = line.Split(' ');
            string name = parts[2], type = parts[3];
            Assert.Matches("^proxy_[a-z0-9_]+$", name);
            if (type == "counter") Assert.EndsWith("_total", name, StringComparison.Ordinal);
            else Assert.DoesNotMatch("_total$", name);
        }
    }

    [Fact]
    public void Sync_RouteRemovedByReload_RemovesItsSeriesAndKeepsTheOthersCounting()
    {
        _bed.Complete(_bed.Api, 200);
        _bed.Complete(_bed.Web, 200);
        RouteMetrics apiBefore = _bed.Api;

        _bed.Reload(MetricsTestBed.TwoRoutes with
        {
            Routes = [MetricsTestBed.TwoRoutes.Routes[0]],
            Clusters = [MetricsTestBed.TwoRoutes.Clusters[0]],
        });
        _bed.Complete(_bed.Api, 200);
        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Same(apiBefore, _bed.Api);
        Assert.Equal(2, samples["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"2xx\"}"]);
        Assert.DoesNotContain(samples.Keys, key => key.Contains("\"web\"", StringComparison.Ordinal));
        Assert.DoesNotContain(samples.Keys, key => key.Contains(MetricsTestBed.Web1, StringComparison.Ordinal));
    }

    [Fact]
    public void Sync_RouteWithoutOneCluster_CountsUnderAnEmptyClusterLabel()
    {
        _bed.Reload(MetricsTestBed.TwoRoutes with
        {
            Routes =
            [
                .. MetricsTestBed.TwoRoutes.Routes,
                new RouteConfig { Name = "moved", Redirect = new RedirectConfig { To = "https://example.com{path}", Status = 301 } },
            ],
        });

        _bed.Complete(_bed.Metrics.Route("moved", null), 301);
        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Null(_bed.Snapshot.Routes.ToArray().Single(route => route.Name == "moved").ClusterOrNull);
        Assert.Equal(1, samples["proxy_requests_total{route=\"moved\",cluster=\"\",status_class=\"3xx\"}"]);
    }

    [Fact]
    public void Route_ClusterChanged_MovesPerClusterSeriesAndKeepsDurations()
    {
        _bed.Complete(_bed.Web, 200);

        RouteMetrics moved = _bed.Metrics.Route("web", "api");
        var record = MetricsTestBed.Record(moved, 200);
        _bed.Observers.OnCompleted(in record);
        Dictionary<string, double> samples = _bed.Scrape();

        Assert.DoesNotContain("proxy_requests_total{route=\"web\",cluster=\"web\",status_class=\"2xx\"}", samples.Keys);
        Assert.Equal(1, samples["proxy_requests_total{route=\"web\",cluster=\"api\",status_class=\"2xx\"}"]);
        Assert.Equal(2, samples["proxy_request_duration_seconds_count{route=\"web\"}"]);
    }

    [Fact]
    public void HealthMetrics_Events_SetStateGaugesAndCountEjections()
    {
        IHealthEvents events = new HealthMetrics(_bed.Metrics);

        events.ActiveHealthChanged("api", MetricsTestBed.Api1, ActiveHealth.Unknown, ActiveHealth.Unhealthy, ProbeResult.Responded(503));
        events.CircuitStateChanged("api", MetricsTestBed.Api1, CircuitState.Closed, CircuitState.HalfOpen);
        events.DestinationEjected("api", MetricsTestBed.Api2, TimeSpan.FromSeconds(30), 1);
        events.DestinationEjected("api", MetricsTestBed.Api2, TimeSpan.FromSeconds(60), 2);
        events.DestinationRestored("api", MetricsTestBed.Api2);
        events.PanicChanged("web", active: true);
        events.RetryBudgetExhausted("api", 3, 10);
        events.ActiveHealthChanged("gone", "10.9.9.9:1", ActiveHealth.Unknown, ActiveHealth.Healthy, ProbeResult.Responded(200));
        Dictionary<string, double> samples = _bed.Scrape();

        string api1 = $"cluster=\"api\",destination=\"{MetricsTestBed.Api1}\"", api2 = $"cluster=\"api\",destination=\"{MetricsTestBed.Api2}\"";
        Assert.Equal(0, samples[$"proxy_destination_health{{{api1},state=\"unknown\"}}"]);
        Assert.Equal(0, samples[$"proxy_destination_health{{{api1},state=\"healthy\"}}"]);
        Assert.Equal(1, samples[$"proxy_destination_health{{{api1},state=\"unhealthy\"}}"]);
        Assert.Equal(1, samples[$"proxy_destination_health{{{api2},state=\"unknown\"}}"]);
        Assert.Equal(1, samples[$"proxy_destination_circuit_state{{{api1},state=\"half_open\"}}"]);
        Assert.Equal(0, samples[$"proxy_destination_circuit_state{{{api1},state=\"closed\"}}"]);
        Assert.Equal(1, samples[$"proxy_destination_circuit_state{{{api2},state=\"closed\"}}"]);
        Assert.Equal(2, samples[$"proxy_destination_ejections_total{{{api2}}}"]);
        Assert.Equal(0, samples[$"proxy_destination_ejected{{{api2}}}"]);
        Assert.Equal(1, samples["proxy_cluster_panic{cluster=\"web\"}"]);
        Assert.Equal(1, samples["proxy_cluster_panic_activations_total{cluster=\"web\"}"]);
        Assert.Equal(1, samples["proxy_retry_budget_exhausted_total{cluster=\"api\"}"]);
        Assert.DoesNotContain(samples.Keys, key => key.Contains("\"gone\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Reloads_AreCountedByResultWithErrors()
    {
        _bed.Metrics.ReloadSucceeded(_bed.Snapshot);
        _bed.Metrics.ReloadFailed(errorCount: 3);
        _bed.Metrics.ReloadFailed(errorCount: 1);

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(1, samples["proxy_config_reloads_total{result=\"success\"}"]);
        Assert.Equal(2, samples["proxy_config_reloads_total{result=\"failure\"}"]);
        Assert.Equal(4, samples["proxy_config_errors_total"]);
        Assert.True(samples["proxy_config_last_reload_success_timestamp_seconds"] > 1.7e9);
    }

    [Fact]
    public void Scrape_CloseReasonsNotReported_ClosesCountAsUnspecified_ThenByReasonOnceReported()
    {
        DestinationMetrics api1 = _bed.Metrics.Destination("api", MetricsTestBed.Api1);
        api1.OnConnectionClosed(UpstreamCloseReason.IdleTimeout);
        string prefix = $"proxy_upstream_connections_closed_total{{cluster=\"api\",destination=\"{MetricsTestBed.Api1}\",reason=";

        Assert.DoesNotContain(prefix + "\"idle_timeout\"}", _bed.Scrape().Keys);

        _bed.Metrics.CloseReasonsReported = true;
        api1.OnConnectionClosed(UpstreamCloseReason.IdleTimeout);
        api1.OnConnectionClosed(UpstreamCloseReason.PoolFull);

        Dictionary<string, double> samples = _bed.Scrape();
        Assert.Equal(2, samples[prefix + "\"idle_timeout\"}"]);
        Assert.Equal(1, samples[prefix + "\"pool_full\"}"]);
    }

    [Fact]
    public void AccessLogCounters_AreExported()
    {
        Assert.Equal(0, _bed.Scrape()["proxy_access_log_dropped_lines_total"]);
        Assert.Equal(0, _bed.Scrape()["proxy_access_log_lines_total"]);
    }

    [Fact]
    public void TwoInstances_HaveSeparateRegistries()
    {
        using var other = new MetricsTestBed();
        _bed.Complete(_bed.Api, 200);

        Assert.Equal(0, other.Scrape()["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"2xx\"}"]);
    }

    public void Dispose() => _bed.Dispose();
}
