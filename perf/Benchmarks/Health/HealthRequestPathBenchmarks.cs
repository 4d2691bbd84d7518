using BenchmarkDotNet.Attributes;
using Proxy.Health;

namespace Proxy.Benchmarks.Health;

/// <summary>
/// What health costs a proxied request: the breaker gate and outcome report of a healthy destination, and the retry
/// budget's request counting. Expected: a few nanoseconds each and 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the cluster.
public class HealthRequestPathBenchmarks
#pragma warning restore CA1001
{
    private ClusterHealth _cluster = null!;
    private DestinationHealth _destination = null!;
    private RetryBudget _budget = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ClusterHealthOptions
        {
            Passive = new PassiveHealthOptions(),
            CircuitBreaker = new CircuitBreakerOptions { MinimumRequests = int.MaxValue },
        };
        _cluster = new ClusterHealth("bench", options);
        _cluster.SetDestinations(["127.0.0.1:9001"]);
        _destination = _cluster.Current.Destinations[0];
        _budget = new RetryBudget("bench", new RetryOptions());
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.Dispose();

    [Benchmark(Baseline = true)]
    public void AcquireAndReportSuccess()
    {
        _destination.TryAcquire(out CircuitPermit permit);
        _destination.Report(permit, RequestOutcome.Success);
    }

    [Benchmark]
    public void AcquireAndReportFailureThenSuccess()
    {
        _destination.TryAcquire(out CircuitPermit permit);
        _destination.Report(permit, RequestOutcome.Status5xx);
        _destination.TryAcquire(out permit);
        _destination.Report(permit, RequestOutcome.Success);
    }

    [Benchmark]
    public void CountRequestAndTryRetry()
    {
        _budget.OnRequestStarted();
        if (_budget.TryAcquireRetry()) _budget.ReleaseRetry();
        _budget.OnRequestEnded();
    }
}
