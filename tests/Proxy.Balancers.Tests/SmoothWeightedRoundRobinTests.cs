using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class SmoothWeightedRoundRobinTests
{
    [Fact]
    public void Pick_Weights511_GivesNginxSequence()
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1);
        var balancer = new SmoothWeightedRoundRobin();

        string picks = PickLetters(balancer, set, 21);

        Assert.Equal("aabacaa" + "aabacaa" + "aabacaa", picks);
    }

    [Theory]
    [InlineData(new[] { 5, 1, 1 })]
    [InlineData(new[] { 1, 1, 1, 1 })]
    [InlineData(new[] { 3, 7, 2, 9 })]
    [InlineData(new[] { 10, 20, 30 })]
    [InlineData(new[] { 100, 1 })]
    [InlineData(new[] { 4, 4, 1, 6, 2, 9, 3 })]
    public void Pick_AnyWeights_MatchesNginxAlgorithmPickForPick(int[] weights)
    {
        DestinationState[] set = Destinations.WithWeights(weights);
        var balancer = new SmoothWeightedRoundRobin();
        var nginx = new NginxSmoothWeightedRoundRobin(weights);
        int period = weights.Sum();

        for (int i = 0; i < 3 * period; i++) Assert.Equal(nginx.Next(), balancer.Pick(set, default));
    }

    [Fact]
    public void Pick_EqualWeights_IsPlainRotation()
    {
        DestinationState[] set = Destinations.Equal(4);
        var balancer = new SmoothWeightedRoundRobin();

        Assert.Equal("abcdabcd", PickLetters(balancer, set, 8));
    }

    [Fact]
    public void Pick_Weighted_ExactRatioOver100000Picks()
    {
        DestinationState[] set = Destinations.WithWeights(5, 3, 2);
        var balancer = new SmoothWeightedRoundRobin();

        int[] counts = Destinations.Count(balancer, set, set, 100_000);

        Assert.Equal(new[] { 50_000, 30_000, 20_000 }, counts);
    }

    [Fact]
    public void Pick_DestinationMissingFromAvailable_IsSkippedAndRestStaysSmooth()
    {
        DestinationState[] all = Destinations.WithWeights(5, 1, 1);
        var balancer = new SmoothWeightedRoundRobin();
        PickLetters(balancer, all, 3);

        DestinationState[] withoutB = [all[0], all[2]];
        string picks = PickLetters(balancer, withoutB, 12);

        // nginx's sequence for weights 5, 1 over { a, c }, from its start.
        string expected = string.Concat(new NginxSmoothWeightedRoundRobin([5, 1]).Take(12).Select(i => i == 0 ? 'a' : 'c'));
        Assert.Equal(expected, picks);
        Assert.Equal("aaacaa" + "aaacaa", picks);
    }

    [Fact]
    public void Pick_DestinationReturns_OriginalSequenceResumes()
    {
        DestinationState[] all = Destinations.WithWeights(5, 1, 1);
        var balancer = new SmoothWeightedRoundRobin();
        PickLetters(balancer, all, 7);
        PickLetters(balancer, [all[0], all[2]], 6);

        int[] counts = Destinations.Count(balancer, all, all, 7_000);

        Assert.Equal(new[] { 5_000, 1_000, 1_000 }, counts);
    }

    [Fact]
    public void Pick_WeightChangedOnReload_FollowsNewWeight()
    {
        DestinationState[] set = Destinations.WithWeights(1, 1);
        var balancer = new SmoothWeightedRoundRobin();
        PickLetters(balancer, set, 2);

        set[1].Weight = 3;

        Assert.Equal("babbbabb", PickLetters(balancer, set, 8));
    }

    [Fact]
    public void Pick_ManyThreads_EachPeriodStillExact()
    {
        DestinationState[] set = Destinations.WithWeights(5, 1, 1);
        var balancer = new SmoothWeightedRoundRobin();
        balancer.Prepare(set);
        int[] counts = new int[3];

        Parallel.For(0, 7_000 * 10, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
            Interlocked.Increment(ref counts[balancer.Pick(set, default)]));

        Assert.Equal(new[] { 50_000, 10_000, 10_000 }, counts);
    }

    [Fact]
    public void ComputeSequence_CommonFactor_SameSequenceShorterPeriod()
    {
        int[] reduced = SmoothWeightedRoundRobin.ComputeSequence([5, 1, 1]);
        int[] scaled = SmoothWeightedRoundRobin.ComputeSequence([50, 10, 10]);

        Assert.Equal(reduced, scaled);
    }

    [Fact]
    public void ComputeSequence_HugeWeights_CappedWithRatiosKept()
    {
        int[] sequence = SmoothWeightedRoundRobin.ComputeSequence([2_000_000, 1_000_001, 7]);

        Assert.True(sequence.Length <= SmoothWeightedRoundRobin.MaxSequenceLength);
        double ratio = (double)sequence.Count(i => i == 0) / sequence.Count(i => i == 1);
        Assert.InRange(ratio, 1.999, 2.001);
        Assert.Contains(2, sequence);
    }

    private static string PickLetters(IBalancer balancer, DestinationState[] available, int count)
    {
        var letters = new char[count];
        for (int i = 0; i < count; i++)
        {
            // Letters name destinations by their address (10.0.0.1 is 'a'), not by their index in available.
            DestinationState chosen = available[balancer.Pick(available, default)];
            letters[i] = (char)('a' + int.Parse(chosen.Address.Split('.')[3].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture) - 1);
        }
        return new string(letters);
    }

    /// <summary>ngx_http_upstream_get_peer, transcribed: the live algorithm, one pick at a time.</summary>
    private sealed class NginxSmoothWeightedRoundRobin(int[] weights)
    {
        private readonly long[] _current = new long[weights.Length];

        public IEnumerable<int> Take(int count)
        {
            for (int i = 0; i < count; i++) yield return Next();
        }

        public int Next()
        {
            int best = -1;
            long total = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                _current[i] += weights[i];
                total += weights[i];
                if (best == -1 || _current[i] > _current[best]) best = i;
            }
            _current[best] -= total;
            return best;
        }
    }
}
