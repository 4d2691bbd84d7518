namespace Proxy.Balancers.Tests;

public class BalancerFactoryTests
{
    [Theory]
    [InlineData("round_robin", BalancingAlgorithm.RoundRobin, typeof(RoundRobin))]
    [InlineData("weighted_round_robin", BalancingAlgorithm.WeightedRoundRobin, typeof(SmoothWeightedRoundRobin))]
    [InlineData("random", BalancingAlgorithm.Random, typeof(WeightedRandom))]
    [InlineData("least_conn", BalancingAlgorithm.LeastRequests, typeof(LeastRequests))]
    [InlineData("p2c", BalancingAlgorithm.PowerOfTwoChoices, typeof(PowerOfTwoChoices))]
    [InlineData("peak_ewma", BalancingAlgorithm.PeakEwma, typeof(PeakEwma))]
    [InlineData("consistent_hash", BalancingAlgorithm.ConsistentHash, typeof(MaglevConsistentHash))]
    [InlineData("sticky", BalancingAlgorithm.Sticky, typeof(StickySession))]
    public void Create_EachConfigName_BuildsItsBalancer(string name, BalancingAlgorithm algorithm, Type type)
    {
        Assert.True(BalancerFactory.TryParse(name, out BalancingAlgorithm parsed));
        Assert.Equal(algorithm, parsed);
        Assert.Equal(name, BalancerFactory.GetName(algorithm));
        Assert.IsType(type, BalancerFactory.Create(algorithm));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Round_Robin")]
    [InlineData("leastconn")]
    public void TryParse_UnknownName_False(string name)
    {
        Assert.False(BalancerFactory.TryParse(name, out _));
    }

    [Theory]
    [InlineData(BalancingAlgorithm.ConsistentHash)]
    [InlineData(BalancingAlgorithm.Sticky)]
    public void Create_FallbackThatNeedsAKey_Throws(BalancingAlgorithm fallback)
    {
        var options = new BalancerOptions { Fallback = fallback };

        Assert.Throws<ArgumentException>(() => BalancerFactory.Create(BalancingAlgorithm.Sticky, options));
    }

    [Fact]
    public void Create_HashTableSizeNotPrime_Throws()
    {
        var options = new BalancerOptions { HashTableSize = 1000 };

        Assert.Throws<ArgumentOutOfRangeException>(() => BalancerFactory.Create(BalancingAlgorithm.ConsistentHash, options));
    }
}
