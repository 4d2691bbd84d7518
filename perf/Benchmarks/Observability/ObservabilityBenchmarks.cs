using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Proxy.Engine.AccessLog;
using Proxy.Engine.Config;
using Proxy.Engine.Metrics;
using Proxy.Engine.Tracing;

namespace Proxy.Benchmarks.Observability;

/// <summary>
/// What observability costs a proxied request: reporting it (metrics alone, with the access log sampled out, with a
/// line formatted and queued), formatting a line, and deciding its request id and traceparent. Expected: tens to a few
/// hundred nanoseconds and 0 bytes allocated for every one of them.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the loggers.
public class ObservabilityBenchmarks
#pragma warning restore CA1001
{
    private static readonly byte[] ValidTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"u8.ToArray();
    private static readonly byte[] ClientRequestId = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"u8.ToArray();

    private ProxyMetrics _metrics = null!;
    private RequestObservers _metricsOnly = null!;
    private RequestObservers _sampledOut = null!;
    private RequestObservers _logged = null!;
    private AccessLogger _sampledOutLog = null!;
    private AccessLogger _loggedLog = null!;
    private RouteMetrics _route = null!;
    private DestinationMetrics _destination = null!;
    private readonly LogLine _line = new();
    private RequestTrace _generating = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new ProxyMetrics(new ProxyStats());
        _route = _metrics.Route("api-v1", "api");
        _destination = _metrics.Destination("api", "10.0.0.5:8080");
        _metricsOnly = new RequestObservers(_metrics);
        _sampledOutLog = new AccessLogger(new AccessLogConfig { Enabled = true, SampleRate = 0 }, _metrics.AccessLog, () => Stream.Null);
        _sampledOut = new RequestObservers(_metrics, _sampledOutLog);
        _loggedLog = new AccessLogger(new AccessLogConfig { Enabled = true, MaxQueuedLines = 8192 }, _metrics.AccessLog, () => Stream.Null);
        _logged = new RequestObservers(_metrics, _loggedLog);
        _generating = new RequestTrace(new TracingConfig { GenerateTraceParent = true });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sampledOutLog.Dispose();
        _loggedLog.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void OnCompleted_MetricsOnly()
    {
        RequestRecord record = Record();
        _metricsOnly.OnCompleted(in record);
    }

    [Benchmark]
    public void OnCompleted_AccessLogSampledOut()
    {
        RequestRecord record = Record();
        _sampledOut.OnCompleted(in record);
    }

    [Benchmark]
    public void OnCompleted_AccessLogLineQueued()
    {
        RequestRecord record = Record();
        _logged.OnCompleted(in record);
    }

    [Benchmark]
    public void FormatAccessLogLine()
    {
        RequestRecord record = Record();
        AccessLogFormatter.Format(in record, _line, DateTime.UtcNow, includeQuery: false);
        _line.Clear();
    }

    [Benchmark]
    public void RequestTrace_KeepClientIds()
    {
        _generating.Begin(ValidTraceParent, 1, ClientRequestId, 1);
    }

    [Benchmark]
    public void RequestTrace_GenerateBoth()
    {
        _generating.Begin(default, 0, default, 0);
    }

    private RequestRecord Record()
    {
        long now = Stopwatch.GetTimestamp();
        return new RequestRecord
        {
            Route = _route,
            Destination = _destination,
            Status = 200,
            BytesReceived = 180,
            BytesSent = 1400,
            StartTimestamp = now - 50_000,
            UpstreamStartTimestamp = now - 40_000,
            UpstreamHeadersTimestamp = now - 10_000,
            EndTimestamp = now,
            Method = "GET"u8,
            Host = "api.example.com"u8,
            Path = "/v1/users/42"u8,
            ClientAddress = "203.0.113.7"u8,
            RequestId = ClientRequestId,
            TraceParent = ValidTraceParent,
        };
    }
}
