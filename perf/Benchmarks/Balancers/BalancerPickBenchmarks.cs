using BenchmarkDotNet.Attributes;
using Proxy.Balancers;

namespace Proxy.Benchmarks.Balancers;

/// <summary>
/// One Pick per operation, for every algorithm, over 2, 16 and 256 destinations with mixed weights (1-5), some
/// requests in flight and measured latencies, i.e. a warm steady state: the available set is unchanged, so cached
/// tables hit. Keys cycle through 1024 values so hashing does not always touch the same slot. The context carries
/// a timestamp, as the engine's will (see DestinationStateBenchmarks for what a clock read costs).
/// Target: under 50 ns median, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class BalancerPickBenchmarks
{
    private const int KeyCount = 1024;

    private DestinationState[] _available = [];
    private IBalancer _balancer = null!;
    private byte[][] _keys = [];
    private int _next;
    private long _timestamp;

    [Params(2, 16, 256)]
    public int Destinations { get; set; }

    [ParamsAllValues]
    public BalancingAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _available = new DestinationState[Destinations];
        for (int i = 0; i < Destinations; i++)
        {
            var state = new DestinationState($"10.0.{i / 250}.{(i % 250) + 1}:8080", 1 + (i % 5));
            for (int r = 0; r < 20; r++)
            {
                state.OnRequestStart();
                state.OnRequestEnd(System.Diagnostics.Stopwatch.Frequency / 1000 * random.Next(1, 50));
            }
            for (int r = random.Next(0, 4); r > 0; r--) state.OnRequestStart();
            _available[i] = state;
        }

        _keys = new byte[KeyCount][];
        for (int k = 0; k < KeyCount; k++)
        {
            // Sticky cookies name real destinations (the steady state: returning clients); other keys are user ids.
            _keys[k] = Algorithm == BalancingAlgorithm.Sticky
                ? _available[random.Next(Destinations)].StickyId.ToArray()
                : System.Text.Encoding.ASCII.GetBytes($"user-{random.Next():x8}");
        }

        // The engine has the time already (it times the request), so it passes it; peak_ewma then reads no clock.
        _timestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        _balancer = BalancerFactory.Create(Algorithm);
        _balancer.Prepare(_available);
    }

    [Benchmark]
    public int Pick() => _balancer.Pick(_available, new PickContext(_keys[_next++ & (KeyCount - 1)], _timestamp));
}
