using Proxy.Engine.AccessLog;
using Proxy.Engine.Config;
using Proxy.Engine.Metrics;
using Proxy.Engine.Tests.AccessLog;

namespace Proxy.Engine.Tests.Metrics;

/// <summary>
/// The request path's observability allocates nothing: measured with the thread's allocation counter around 10,000
/// reports (after a warm-up, as the server runs in steady state). perf/Benchmarks/Observability measures the same with
/// BenchmarkDotNet's MemoryDiagnoser.
/// </summary>
public sealed class AllocationTests : IDisposable
{
    private const int Requests = 10_000;
    private readonly MetricsTestBed _bed = new();

    [Fact]
    public void OnCompleted_MetricsOnly_AllocatesNothing()
    {
        DestinationMetrics destination = _bed.Metrics.Destination("api", MetricsTestBed.Api1);
        RequestRecord ok = MetricsTestBed.Record(_bed.Api, 200, destination: destination);
        RequestRecord failed = MetricsTestBed.Record(_bed.Api, 502, destination: destination, error: RequestError.UpstreamReset, retries: 1);
        RequestRecord unmatched = MetricsTestBed.Record(null, 404, upstreamSeconds: 0, error: RequestError.NoRoute);
        Report(ok, failed, unmatched, Requests);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Report(ok, failed, unmatched, Requests);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void OnCompleted_WithAccessLog_AllocatesNothingOnTheRequestThread()
    {
        var output = new GateStream(open: false);
        using var logger = new AccessLogger(new AccessLogConfig { Enabled = true, MaxQueuedLines = 64 }, _bed.Metrics.AccessLog,
            () => output);
        _bed.Observers.SwapAccessLog(logger);
        DestinationMetrics destination = _bed.Metrics.Destination("api", MetricsTestBed.Api1);
        RequestRecord ok = WithLogFields(MetricsTestBed.Record(_bed.Api, 200, destination: destination));
        RequestRecord failed = WithLogFields(MetricsTestBed.Record(_bed.Api, 502, destination: destination, error: RequestError.UpstreamReset));
        RequestRecord unmatched = WithLogFields(MetricsTestBed.Record(null, 404, upstreamSeconds: 0, error: RequestError.NoRoute));
        // Warm-up with the writer stalled, so that every recycled line gets made (lines are made lazily, up to one per
        // queue slot) and this thread's JSON writer exists; then let the writer go.
        Report(ok, failed, unmatched, 1000);
        output.Open();
        Report(ok, failed, unmatched, Requests);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Report(ok, failed, unmatched, Requests);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(_bed.Metrics.AccessLog.Written + _bed.Metrics.AccessLog.Dropped > 0);
    }

    [Fact]
    public void OnCompleted_AccessLogOff_AllocatesNothing()
    {
        RequestRecord ok = WithLogFields(MetricsTestBed.Record(_bed.Api, 200));
        Report(ok, ok, ok, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Report(ok, ok, ok, Requests);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private void Report(in RequestRecord a, in RequestRecord b, in RequestRecord c, int count)
    {
        for (int i = 0; i < count; i++)
        {
            switch (i % 3)
            {
                case 0: _bed.Observers.OnCompleted(in a); break;
                case 1: _bed.Observers.OnCompleted(in b); break;
                default: _bed.Observers.OnCompleted(in c); break;
            }
        }
    }

    private static RequestRecord WithLogFields(RequestRecord record)
    {
        record.Host = "api.example.com"u8;
        record.ClientAddress = "203.0.113.7"u8;
        record.RequestId = "4bf92f3577b34da6a3ce929d0e0e4736"u8;
        record.TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"u8;
        record.Query = "page=2"u8;
        return record;
    }

    public void Dispose() => _bed.Dispose();
}
