using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class WeightedRandomTests
{
    [Fact]
    public void Pick_Weighted_RatiosWithinHalfPercentOver100000Picks()
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1, 3);
        var balancer = new WeightedRandom(new SeededRandomSource(42));

        int[] counts = Destinations.Count(balancer, set, set, 100_000);

        AssertShares(counts, [0.5, 0.1, 0.1, 0.3], 0.005);
    }

    [Fact]
    public void Pick_EveryDrawEnumerated_ExactlyProportionalToWeights()
    {
        // The alias table has N columns of height W: enumerating every (column, height) pair must hit each
        // destination exactly weight × N times.
        int[] weights = [3, 1, 2, 7];
        DestinationState[] set = Destinations.WithWeights(weights);
        int total = weights.Sum();
        var random = new ScriptedRandomSource();
        var balancer = new WeightedRandom(random);
        int[] counts = new int[set.Length];

        for (int column = 0; column < set.Length; column++)
        {
            for (int height = 0; height < total; height++)
            {
                random.Enqueue((column * total) + height);
                counts[balancer.Pick(set, default)]++;
            }
        }

        Assert.Equal(weights.Select(w => w * set.Length), counts);
    }

    [Fact]
    public void Pick_EqualWeights_OneRandomNumberIsTheIndex()
    {
        DestinationState[] set = Destinations.Equal(5);
        var random = new ScriptedRandomSource(3, 0, 4);
        var balancer = new WeightedRandom(random);

        Assert.Equal(3, balancer.Pick(set, default));
        Assert.Equal(0, balancer.Pick(set, default));
        Assert.Equal(4, balancer.Pick(set, default));
        Assert.Equal(3, random.Calls);
    }

    [Fact]
    public void Pick_DestinationMissingFromAvailable_SharesFollowTheRest()
    {
        DestinationState[] all = Destinations.WithWeights(5, 1, 4);
        var balancer = new WeightedRandom(new SeededRandomSource(7));

        int[] counts = Destinations.Count(balancer, all, [all[0], all[2]], 100_000);

        AssertShares(counts, [5 / 9.0, 0, 4 / 9.0], 0.005);
    }

    internal static void AssertShares(int[] counts, double[] expected, double tolerance)
    {
        double total = counts.Sum();
        for (int i = 0; i < counts.Length; i++) Assert.InRange(counts[i] / total, expected[i] - tolerance, expected[i] + tolerance);
    }
}
