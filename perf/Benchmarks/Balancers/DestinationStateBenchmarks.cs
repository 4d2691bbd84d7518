using BenchmarkDotNet.Attributes;
using Proxy.Balancers;

namespace Proxy.Benchmarks.Balancers;

/// <summary>
/// What each proxied request pays in the destination's counters: start plus end, the end feeding the peak-EWMA
/// (one Math.Exp and a compare-and-swap), with and without the caller passing the end timestamp; and the same for a
/// destination of a least_conn cluster, which also copies its count into the balancer's table at start and end.
/// </summary>
[MemoryDiagnoser]
public class DestinationStateBenchmarks
{
    private readonly DestinationState _state = new("10.0.0.1:8080", 1);
    private readonly DestinationState[] _leastConnSet = [.. Enumerable.Range(1, 32).Select(i => new DestinationState($"10.0.0.{i}:8080", 1))];
    private readonly long _elapsed = System.Diagnostics.Stopwatch.Frequency / 100;
    private long _now = System.Diagnostics.Stopwatch.GetTimestamp();

    [GlobalSetup]
    public void Setup() => BalancerFactory.Create(BalancingAlgorithm.LeastRequests).Prepare(_leastConnSet);

    [Benchmark]
    public void StartAndEnd()
    {
        _state.OnRequestStart();
        _state.OnRequestEnd(_elapsed);
    }

    [Benchmark]
    public void StartAndEndWithTimestamp()
    {
        _state.OnRequestStart();
        _state.OnRequestEnd(_elapsed, _now += 1000);
    }

    [Benchmark]
    public void StartAndEndWithTimestampInLeastConnTable()
    {
        DestinationState state = _leastConnSet[0];
        state.OnRequestStart();
        state.OnRequestEnd(_elapsed, _now += 1000);
    }
}
