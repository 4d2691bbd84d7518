using Proxy.Balancers.Tests.Support;
using Xunit.Abstractions;

namespace Proxy.Balancers.Tests;

public class PeakEwmaTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tau = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultLatency = TimeSpan.FromMilliseconds(30);

    [Fact]
    public void Pick_NewDestinations_CostIsDefaultTimesLoad()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = NewSet(clock, 2);
        Destinations.StartRequests(set[0], 1);

        // Both at the default latency: a costs 30 ms × 2, b 30 ms × 1.
        Assert.Equal(1, new PeakEwma(new ScriptedRandomSource(0), clock, DefaultLatency).Pick(set, default));
    }

    [Fact]
    public void Pick_SlowDestination_LosesEveryComparisonUntilLoadOutweighsIt()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = NewSet(clock, 2);
        Finish(set[0], clock, TimeSpan.FromMilliseconds(10));
        Finish(set[1], clock, TimeSpan.FromMilliseconds(100));
        var random = new ScriptedRandomSource();
        var balancer = new PeakEwma(random, clock, DefaultLatency);

        random.Enqueue(1);
        Assert.Equal(0, balancer.Pick(set, default));

        Destinations.StartRequests(set[0], 9); // 10 ms × 10 = 100 ms × 1: a tie, to the first draw
        random.Enqueue(1);
        Assert.Equal(1, balancer.Pick(set, default));

        Destinations.StartRequests(set[0], 1);
        random.Enqueue(0);
        Assert.Equal(1, balancer.Pick(set, default));
    }

    [Fact]
    public void Pick_WeightedDestination_CostDividedByWeight()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = Destinations.WithWeights(Options(clock), 4, 1);
        Finish(set[0], clock, TimeSpan.FromMilliseconds(30));
        Finish(set[1], clock, TimeSpan.FromMilliseconds(10));

        // 30 ms / 4 beats 10 ms / 1.
        Assert.Equal(0, new PeakEwma(new ScriptedRandomSource(1), clock, DefaultLatency).Pick(set, default));
    }

    [Fact]
    public void Pick_SlowDestinationThenFastAgain_TrafficAvoidsItThenReturns()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = NewSet(clock, 2);
        var simulation = new Simulation(set, clock, new PeakEwma(new SeededRandomSource(11), clock, DefaultLatency));

        // Phase 1: both answer in 10 ms; 200 requests per second, 30 s.
        double[] healthy = simulation.Run(TimeSpan.FromSeconds(30), _ => TimeSpan.FromMilliseconds(10));
        Assert.InRange(healthy[1], 0.4, 0.6);

        // Phase 2: b answers in 500 ms. It is avoided, yet still probed now and then (no starvation).
        double[] slow = simulation.Run(TimeSpan.FromSeconds(120), d => TimeSpan.FromMilliseconds(d == 1 ? 500 : 10));
        Assert.InRange(slow[1], 0.0001, 0.01);

        // Phase 3: b is fast again. Within a minute it is back to a fair share.
        simulation.Run(TimeSpan.FromSeconds(60), _ => TimeSpan.FromMilliseconds(10));
        double[] recovered = simulation.Run(TimeSpan.FromSeconds(30), _ => TimeSpan.FromMilliseconds(10));
        output.WriteLine($"b's share: healthy {healthy[1]:P2}, slow {slow[1]:P3}, recovered {recovered[1]:P2}");
        Assert.InRange(recovered[1], 0.3, 0.7);
    }

    [Fact]
    public void Pick_OnceSlowDestinationIdle_IsTriedAgainAfterDecay()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = NewSet(clock, 2);
        Finish(set[0], clock, TimeSpan.FromMilliseconds(10));
        Finish(set[1], clock, TimeSpan.FromSeconds(1));
        var random = new ScriptedRandomSource();
        var balancer = new PeakEwma(random, clock, DefaultLatency);

        // a keeps answering in 10 ms; b stays unused. 1 s × e^(-t/10 s) drops below 10 ms after about 46 s.
        int firstTriedAt = -1;
        for (int second = 1; second <= 120 && firstTriedAt < 0; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            Finish(set[0], clock, TimeSpan.FromMilliseconds(10));
            random.Enqueue(0);
            if (balancer.Pick(set, default) == 1) firstTriedAt = second;
        }

        Assert.InRange(firstTriedAt, 40, 50);
    }

    [Fact]
    public void Pick_ProbeInFlight_StopsDecaySoOnlyOneProbeGoesOut()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = NewSet(clock, 2);
        Finish(set[0], clock, TimeSpan.FromMilliseconds(10));
        Finish(set[1], clock, TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromMinutes(5));
        Finish(set[0], clock, TimeSpan.FromMilliseconds(10));
        var random = new ScriptedRandomSource(0, 0);
        var balancer = new PeakEwma(random, clock, DefaultLatency);

        Assert.Equal(1, balancer.Pick(set, default));
        set[1].OnRequestStart();

        Assert.Equal(0, balancer.Pick(set, default));
    }

    [Fact]
    public void Pick_TimestampSupplied_UsedInsteadOfClock()
    {
        var clock = new ManualTimeProvider();
        DestinationState[] set = NewSet(clock, 2);
        Finish(set[0], clock, TimeSpan.FromMilliseconds(10));
        Finish(set[1], clock, TimeSpan.FromSeconds(1));
        set[0].OnRequestStart(); // busy, so its estimate does not decay: costs 10 ms × 2
        var balancer = new PeakEwma(new ScriptedRandomSource(0, 0), clock, DefaultLatency);
        long fiveMinutesLater = clock.GetTimestamp() + ManualTimeProvider.Ticks(TimeSpan.FromMinutes(5));

        // By the clock, idle b still costs 1 s; by the supplied time it has decayed to 1 s × e^-30.
        Assert.Equal(0, balancer.Pick(set, default));
        Assert.Equal(1, balancer.Pick(set, new PickContext(default, fiveMinutesLater)));
    }

    private static DestinationStateOptions Options(ManualTimeProvider clock) => new() { TimeProvider = clock, LatencyDecayTime = Tau };

    private static DestinationState[] NewSet(ManualTimeProvider clock, int count) =>
        Destinations.WithWeights(Options(clock), Enumerable.Repeat(1, count).ToArray());

    private static void Finish(DestinationState state, ManualTimeProvider clock, TimeSpan latency)
    {
        state.OnRequestStart();
        state.OnRequestEnd(ManualTimeProvider.Ticks(latency), clock.GetTimestamp());
    }

    /// <summary>Open-loop traffic on a manual clock: one request every 5 ms, each finishing after its destination's latency.</summary>
    private sealed class Simulation(DestinationState[] set, ManualTimeProvider clock, IBalancer balancer)
    {
        private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);
        private readonly PriorityQueue<(DestinationState State, long Start), long> _inFlight = new();

        /// <summary>Runs for <paramref name="duration"/>; returns each destination's share of the requests sent.</summary>
        public double[] Run(TimeSpan duration, Func<int, TimeSpan> latencyOf)
        {
            int[] sent = new int[set.Length];
            for (TimeSpan elapsed = TimeSpan.Zero; elapsed < duration; elapsed += Step)
            {
                clock.Advance(Step);
                long now = clock.GetTimestamp();
                while (_inFlight.TryPeek(out var request, out long end) && end <= now)
                {
                    _inFlight.Dequeue();
                    request.State.OnRequestEnd(end - request.Start, end);
                }
                int chosen = balancer.Pick(set, default);
                sent[chosen]++;
                set[chosen].OnRequestStart();
                _inFlight.Enqueue((set[chosen], now), now + ManualTimeProvider.Ticks(latencyOf(chosen)));
            }
            return sent.Select(n => n / (double)sent.Sum()).ToArray();
        }
    }
}
