using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class PowerOfTwoChoicesTests
{
    [Fact]
    public void DrawTwo_EveryRandomPair_DistinctAndUniformOverPairs()
    {
        const int Count = 6;
        var random = new ScriptedRandomSource();
        var pairs = new Dictionary<(int, int), int>();

        for (int first = 0; first < Count; first++)
        {
            for (int second = 0; second < Count - 1; second++)
            {
                random.Enqueue((first * (Count - 1)) + second);
                (int a, int b) = PowerOfTwoChoices.DrawTwo(random, Count);
                Assert.NotEqual(a, b);
                pairs[(Math.Min(a, b), Math.Max(a, b))] = pairs.GetValueOrDefault((Math.Min(a, b), Math.Max(a, b))) + 1;
            }
        }

        Assert.Equal(Count * (Count - 1) / 2, pairs.Count);
        Assert.All(pairs.Values, n => Assert.Equal(2, n));
    }

    [Fact]
    public void Pick_EveryPairOfUnequalLoad_NeverPicksTheBusierOfTwo()
    {
        int[] active = [4, 0, 7, 2, 2, 9];
        DestinationState[] set = Destinations.Equal(active.Length);
        for (int i = 0; i < set.Length; i++) Destinations.StartRequests(set[i], active[i]);
        var random = new ScriptedRandomSource();
        var balancer = new PowerOfTwoChoices(random);

        for (int first = 0; first < set.Length; first++)
        {
            for (int second = 0; second < set.Length - 1; second++)
            {
                random.Enqueue((first * (set.Length - 1)) + second);
                int other = second >= first ? second + 1 : second;
                int chosen = balancer.Pick(set, default);

                Assert.True(chosen == first || chosen == other);
                Assert.Equal(Math.Min(active[first], active[other]), set[chosen].ActiveRequests);
            }
        }
    }

    [Fact]
    public void Pick_EqualLoad_FirstDrawWins()
    {
        DestinationState[] set = Destinations.Equal(3);

        // Pair 4 of 3 × 2: first draw 4 / 2 = 2, second 4 % 2 = 0.
        Assert.Equal(2, new PowerOfTwoChoices(new ScriptedRandomSource(4)).Pick(set, default));
    }

    [Fact]
    public void Pick_TwoDestinations_OneRandomNumber()
    {
        DestinationState[] set = Destinations.Equal(2);
        Destinations.StartRequests(set[0], 1);
        var random = new ScriptedRandomSource(0);

        Assert.Equal(1, new PowerOfTwoChoices(random).Pick(set, default));
        Assert.Equal(1, random.Calls);
    }

    [Fact]
    public void Pick_HeavierDestination_TakesMoreLoadBeforeLosing()
    {
        DestinationState[] set = Destinations.WithWeights(3, 1);
        Destinations.StartRequests(set[0], 1);
        // With this request: a would carry 2 of 3, b 1 of 1.
        Assert.Equal(0, new PowerOfTwoChoices(new ScriptedRandomSource(1)).Pick(set, default));

        Destinations.StartRequests(set[0], 2);
        // Now a would carry 4 of 3.
        Assert.Equal(1, new PowerOfTwoChoices(new ScriptedRandomSource(0)).Pick(set, default));
    }

    [Fact]
    public void Pick_RequestsHeldOpen_LoadStaysWithinOneAcrossDestinations()
    {
        DestinationState[] set = Destinations.Equal(2);
        var balancer = new PowerOfTwoChoices(new SeededRandomSource(9));

        for (int i = 0; i < 1_000; i++) set[balancer.Pick(set, default)].OnRequestStart();

        Assert.Equal(500, set[0].ActiveRequests);
        Assert.Equal(500, set[1].ActiveRequests);
    }
}
