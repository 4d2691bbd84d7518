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
        var balancer = new LeastRequests(new ScriptedRandomSource(LeastRequests.StackTieLimit + 99));

        Assert.Equal(LeastRequests.StackTieLimit + 99, balancer.Pick(set, default));
    }
}
