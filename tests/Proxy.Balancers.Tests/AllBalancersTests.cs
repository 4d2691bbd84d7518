using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

/// <summary>What every algorithm promises, whatever it is.</summary>
public class AllBalancersTests
{
    public static TheoryData<BalancingAlgorithm> Algorithms() => new(Enum.GetValues<BalancingAlgorithm>());

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_NoDestinations_ReturnsMinusOne(BalancingAlgorithm algorithm)
    {
        IBalancer balancer = BalancerFactory.Create(algorithm);

        Assert.Equal(-1, balancer.Pick([], new PickContext("key"u8)));
        Assert.Equal(-1, balancer.Pick([], default));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_OneDestination_ReturnsIt(BalancingAlgorithm algorithm)
    {
        IBalancer balancer = BalancerFactory.Create(algorithm);

        Assert.Equal(0, balancer.Pick(Destinations.Equal(1), new PickContext("key"u8)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_DestinationsNotHanded_NeverChosen(BalancingAlgorithm algorithm)
    {
        DestinationState[] all = Destinations.WithWeights(3, 1, 4, 1, 5, 9, 2, 6);
        DestinationState[] available = [all[1], all[4], all[6]];
        IBalancer balancer = BalancerFactory.Create(algorithm);

        for (int key = 0; key < 2_000; key++)
        {
            byte[] bytes = BitConverter.GetBytes(key);
            int chosen = balancer.Pick(available, new PickContext(bytes));
            Assert.InRange(chosen, 0, available.Length - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_ManyThreadsStartingAndEndingRequests_InFlightCountersBackToZero(BalancingAlgorithm algorithm)
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1, 3, 2, 2, 1, 4);
        IBalancer balancer = BalancerFactory.Create(algorithm);
        const int Threads = 8;
        const int PerThread = 20_000;
        int failures = 0;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            Span<byte> key = stackalloc byte[4];
            for (int i = 0; i < PerThread; i++)
            {
                BitConverter.TryWriteBytes(key, (thread * PerThread) + i);
                // Half the threads also flip between two available sets, as during a health change.
                ReadOnlySpan<DestinationState> available = thread % 2 == 0 || i % 100 < 50 ? set : set.AsSpan(0, 5);
                int chosen = balancer.Pick(available, new PickContext(key));
                if (chosen < 0 || chosen >= available.Length)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                available[chosen].OnRequestStart();
                available[chosen].OnRequestEnd(i % 500);
            }
        });

        Assert.Equal(0, failures);
        Assert.All(set, d => Assert.Equal(0, d.ActiveRequests));
        Assert.Equal(Threads * PerThread, set.Sum(d => d.TotalRequests));
    }

    [Theory]
    [InlineData(BalancingAlgorithm.LeastRequests)]
    [InlineData(BalancingAlgorithm.PowerOfTwoChoices)]
    [InlineData(BalancingAlgorithm.PeakEwma)]
    public void Pick_BalancerRebuiltOnReload_StillSeesInFlightRequestsOfKeptDestinations(BalancingAlgorithm algorithm)
    {
        // The pingora #821 class of bug: a reload must not make in-flight requests invisible. Counters live in the
        // destination states, which a reload keeps for unchanged destinations; a new balancer reads them.
        DestinationState[] set = Destinations.Equal(2);
        IBalancer before = BalancerFactory.Create(algorithm);
        for (int i = 0; i < 50; i++) set[before.Pick(set, default)].OnRequestStart();
        Destinations.StartRequests(set[0], 100);

        IBalancer afterReload = BalancerFactory.Create(algorithm);

        for (int i = 0; i < 100; i++) Assert.Equal(1, afterReload.Pick(set, default));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_SteadyState_AllocatesNothing(BalancingAlgorithm algorithm)
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1, 3, 2, 2, 1, 4);
        IBalancer balancer = BalancerFactory.Create(algorithm);
        byte[] key = "session-1234"u8.ToArray();
        byte[] stickyCookie = set[3].StickyId.ToArray();
        for (int i = 0; i < 1_000; i++) PickAll(balancer, set, key, stickyCookie);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) PickAll(balancer, set, key, stickyCookie);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Prepare_ThenPick_SameChoicesAsWithoutPrepare(BalancingAlgorithm algorithm)
    {
        DestinationState[] set = Destinations.WithWeights(2, 1, 3);
        var options = new BalancerOptions { Random = new SeededRandomSource(1) };
        IBalancer prepared = BalancerFactory.Create(algorithm, options);
        IBalancer cold = BalancerFactory.Create(algorithm, options with { Random = new SeededRandomSource(1) });

        prepared.Prepare(set);

        for (int key = 0; key < 100; key++)
        {
            byte[] bytes = BitConverter.GetBytes(key);
            Assert.Equal(cold.Pick(set, new PickContext(bytes)), prepared.Pick(set, new PickContext(bytes)));
        }
    }

    private static void PickAll(IBalancer balancer, DestinationState[] set, byte[] key, byte[] stickyCookie)
    {
        balancer.Pick(set, new PickContext(key));
        balancer.Pick(set, new PickContext(stickyCookie));
        balancer.Pick(set, default);
    }
}
