using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class LeastRequestsTests
{
    [Fact]
    public void Pick_UnequalLoad_PicksFewestInFlight()
    {
        DestinationState[] set = Destinations.Equal(4);
        Destinations.StartRequests(set[0], 3);
        Destinations.StartRequests(set[1], 2);
        Destinations.StartRequests(set[2], 5);
        Destinations.StartRequests(set[3], 1);
        var random = new ScriptedRandomSource();

        Assert.Equal(3, new LeastRequests(random).Pick(set, default));
        Assert.Equal(0, random.Calls);
    }

    [Fact]
    public void Pick_Weighted_ComparesInFlightRelativeToWeight()
    {
        DestinationState[] set = Destinations.WithWeights(4, 1);
        Destinations.StartRequests(set[0], 3); // 0.75 of its weight
        Destinations.StartRequests(set[1], 1); // 1.0 of its weight

        Assert.Equal(0, new LeastRequests(new ScriptedRandomSource()).Pick(set, default));
    }

    [Fact]
    public void Pick_Tie_BrokenByWeightedRandom()
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1, 2);
        Destinations.StartRequests(set[3], 1);
        // Tied at zero: a (5), b (1), c (1), total 7. A draw of 5 lands past a's five units, on b.
        var random = new ScriptedRandomSource(5, 0, 6);
        var balancer = new LeastRequests(random);

        Assert.Equal(1, balancer.Pick(set, default));
        Assert.Equal(0, balancer.Pick(set, default));
        Assert.Equal(2, balancer.Pick(set, default));
    }

    [Fact]
    public void Pick_AllIdle_SharesFollowWeightsOver100000Picks()
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1);
        var balancer = new LeastRequests(new SeededRandomSource(3));

        int[] counts = Destinations.Count(balancer, set, set, 100_000);

        WeightedRandomTests.AssertShares(counts, [5 / 7.0, 1 / 7.0, 1 / 7.0], 0.005);
    }

    [Fact]
    public void Pick_RequestsHeldOpen_SpreadsInFlightInProportionToWeight()
    {
        DestinationState[] set = Destinations.WithWeights(3, 1);
        var balancer = new LeastRequests(new SeededRandomSource(5));

        for (int i = 0; i < 400; i++) set[balancer.Pick(set, default)].OnRequestStart();

        Assert.Equal(300, set[0].ActiveRequests);
        Assert.Equal(100, set[1].ActiveRequests);
    }

    [Fact]
    public void Pick_ClusterLargerThanStackLimit_StillPicksFewest()
    {
        DestinationState[] set = Destinations.Equal(LeastRequests.StackTieLimit + 100);
        foreach (DestinationState destination in set) destination.OnRequestStart();
        set[555].OnRequestEnd(1);
        var balancer = new LeastRequests(new SeededRandomSource(1));

        Assert.Equal(555, balancer.Pick(set, default));
    }

    [Fact]
    public void Pick_ClusterLargerThanStackLimitAllTied_ChoosesAmongAll()
    {
        DestinationState[] set = Destinations.Equal(LeastRequests.StackTieLimit + 100);
        var balancer = new LeastRequests(new SeededRandomSource(9));

        // About 50 picks each: every destination, those past the stack limit included, is chosen.
        int[] counts = Destinations.Count(balancer, set, set, 50 * set.Length);

        Assert.All(counts, count => Assert.True(count > 0));
    }

    [Fact]
    public void PickByScan_ClusterLargerThanStackLimit_StillPicksFewest()
    {
        DestinationState[] set = Destinations.Equal(LeastRequests.StackTieLimit + 100);
        foreach (DestinationState destination in set) destination.OnRequestStart();
        set[555].OnRequestEnd(1);

        Assert.Equal(555, new LeastRequests(new SeededRandomSource(1)).PickByScan(set));
    }

    [Fact]
    public void PickByScan_ClusterLargerThanStackLimitAllTied_ChoosesAmongAll()
    {
        DestinationState[] set = Destinations.Equal(LeastRequests.StackTieLimit + 100);
        var balancer = new LeastRequests(new ScriptedRandomSource(LeastRequests.StackTieLimit + 99));

        Assert.Equal(LeastRequests.StackTieLimit + 99, balancer.PickByScan(set));
    }

    [Fact]
    public void Pick_ClusterLargerThanTheTableLimit_ScansAndStaysExact()
    {
        DestinationState[] set = Destinations.Equal(InFlightTable.MaxDestinations + 1);
        foreach (DestinationState destination in set) destination.OnRequestStart();
        set[^1].OnRequestEnd(1);
        var random = new ScriptedRandomSource();

        Assert.Equal(set.Length - 1, new LeastRequests(random).Pick(set, default));
        Assert.Equal(0, random.Calls);
    }

    [Fact]
    public void Pick_KeysBeyondWhatTheTableHolds_ScansAndStaysExact()
    {
        // The weights' least common multiple does not fit an int: with everyone busy the table's least key saturates.
        DestinationState[] set = Destinations.WithWeights([.. Enumerable.Repeat(2, 20), 3, 1_000_000_007]);
        foreach (DestinationState destination in set) destination.OnRequestStart();
        var balancer = new LeastRequests(new ScriptedRandomSource());

        Assert.Equal(21, balancer.Pick(set, default));
        set[21].OnRequestStart();
        Assert.Equal(21, balancer.Pick(set, default));
    }

    [Fact]
    public void Pick_RequestsStartAndEnd_AlwaysPicksALeastLoadedDestination()
    {
        DestinationState[] set = Destinations.WithWeights(Enumerable.Range(0, 50).Select(i => 1 + (i % 6)).ToArray());
        var balancer = new LeastRequests(new SeededRandomSource(2));
        var steps = new Random(3);
        var open = new List<int>();

        for (int i = 0; i < 20_000; i++)
        {
            int picked = balancer.Pick(set, default);
            Assert.Contains(picked, LeastLoaded.Of(set));
            set[picked].OnRequestStart();
            open.Add(picked);
            // Requests end out of order, and the load drifts between about 100 and 200 in flight.
            while (open.Count > 100 + steps.Next(100))
            {
                int ending = steps.Next(open.Count);
                set[open[ending]].OnRequestEnd(1);
                open[ending] = open[^1];
                open.RemoveAt(open.Count - 1);
            }
        }
    }

    [Fact]
    public void Pick_SubsetOfTheCluster_ChoosesOnlyWithinTheSpanAndReturnsItsIndex()
    {
        DestinationState[] cluster = Destinations.WithWeights(Enumerable.Range(0, 80).Select(i => 1 + (i % 3)).ToArray());
        for (int i = 0; i < cluster.Length; i++) Destinations.StartRequests(cluster[i], 1 + (i * 7 % 5));
        cluster[0].OnRequestEnd(1);   // the cluster's least loaded, in neither subset below
        DestinationState[] everyThird = [.. cluster.Where((_, i) => i % 3 == 1)];
        var balancer = new LeastRequests(new SeededRandomSource(4));

        for (int i = 0; i < 50; i++)
        {
            Assert.Contains(balancer.Pick(everyThird, default), LeastLoaded.Of(everyThird));
            Assert.Contains(balancer.Pick(cluster.AsSpan(5, 30), default), LeastLoaded.Of(cluster.AsSpan(5, 30)));
        }
    }

    [Fact]
    public void Pick_AvailableSetChangesAsOnAReload_CountsCarryOverAndPicksStayExact()
    {
        DestinationState[] before = Destinations.WithWeights([.. Enumerable.Range(0, 30).Select(i => 1 + (i % 3))]);
        var balancer = new LeastRequests(new SeededRandomSource(5));
        balancer.Prepare(before);
        for (int i = 0; i < 60; i++) before[balancer.Pick(before, default)].OnRequestStart();
        int[] carried = [.. before.Select(d => d.ActiveRequests)];

        // The reload keeps 22 destinations (one with a new weight), drops eight and adds three; health then ejects one.
        before[3].Weight = 4;
        DestinationState[] after = [.. before[..22], .. Destinations.WithWeights(2, 5, 1)];
        DestinationState[] ejected = [.. after.Where((_, i) => i != 1)];
        balancer.Prepare(after);

        Assert.Equal(carried[..22], after[..22].Select(d => d.ActiveRequests));
        foreach (DestinationState[] set in new[] { after, ejected, after, before, ejected })
        {
            // No Prepare: a set seen before takes its destinations back on its first pick.
            for (int i = 0; i < 30; i++)
            {
                int picked = balancer.Pick(set, default);
                Assert.Contains(picked, LeastLoaded.Of(set));
                set[picked].OnRequestStart();
            }
        }
    }

    [Fact]
    public void Pick_TableSizedSetInSteadyState_AllocatesNothing()
    {
        DestinationState[] set = Destinations.WithWeights([.. Enumerable.Range(0, 64).Select(i => 1 + (i % 4))]);
        var balancer = new LeastRequests(new SeededRandomSource(8));
        balancer.Prepare(set);
        for (int i = 0; i < 1_000; i++) PickStartEnd(balancer, set, i);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) PickStartEnd(balancer, set, i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Pick_ManyThreadsFlippingBetweenTwoSets_StaysExactAfterwards()
    {
        DestinationState[] set = Destinations.WithWeights([.. Enumerable.Range(0, 48).Select(i => 1 + (i % 3))]);
        var balancer = new LeastRequests(SharedRandomSource.Instance);
        int failures = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                // Half the threads flip between the whole set and a part of it, as during a health change.
                ReadOnlySpan<DestinationState> available = thread % 2 == 0 || i % 100 < 50 ? set : set.AsSpan(0, 40);
                int chosen = balancer.Pick(available, default);
                if (chosen < 0 || chosen >= available.Length)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                available[chosen].OnRequestStart();
                available[chosen].OnRequestEnd(1);
            }
        });

        Assert.Equal(0, failures);
        Assert.All(set, d => Assert.Equal(0, d.ActiveRequests));
        for (int i = 0; i < set.Length; i++)
        {
            if (i != 29) set[i].OnRequestStart();
        }
        Assert.Equal(29, balancer.Pick(set, default));
        Assert.Equal(29, balancer.Pick(set.AsSpan(0, 40), default));
    }

    [Fact]
    public void Pick_TwoBalancersOverTheSameDestinations_BothStayExact()
    {
        DestinationState[] set = Destinations.WithWeights(Enumerable.Range(0, 20).Select(i => 1 + (i % 2)).ToArray());
        var first = new LeastRequests(new SeededRandomSource(6));
        var second = new LeastRequests(new SeededRandomSource(7));

        for (int i = 0; i < 200; i++)
        {
            LeastRequests balancer = i % 3 == 0 ? first : second;
            int picked = balancer.Pick(set, default);
            Assert.Contains(picked, LeastLoaded.Of(set));
            set[picked].OnRequestStart();
            DestinationState ending = set[(i * 7) % set.Length];
            if (i % 4 == 3 && ending.ActiveRequests > 0) ending.OnRequestEnd(1);
        }
    }

    private static void PickStartEnd(LeastRequests balancer, DestinationState[] set, int i)
    {
        DestinationState chosen = set[balancer.Pick(set, default)];
        chosen.OnRequestStart();
        if (i % 3 != 0) chosen.OnRequestEnd(1, 1);
    }
}
