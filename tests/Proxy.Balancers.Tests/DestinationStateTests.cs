using System.Text;
using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class DestinationStateTests
{
    private static readonly TimeSpan Tau = TimeSpan.FromSeconds(10);

    [Fact]
    public void OnRequestEnd_AfterStart_ReturnsActiveToZeroAndKeepsTotal()
    {
        var state = new DestinationState("10.0.0.1:80", 1);
        state.OnRequestStart();
        state.OnRequestStart();
        Assert.Equal(2, state.ActiveRequests);

        state.OnRequestEnd(100);
        state.OnRequestEnd(100);

        Assert.Equal(0, state.ActiveRequests);
        Assert.Equal(2, state.TotalRequests);
    }

    [Fact]
    public void StickyId_NotConfigured_IsStableOpaqueHexOfTheAddress()
    {
        var first = new DestinationState("10.1.2.3:8080", 1);
        var again = new DestinationState("10.1.2.3:8080", 5);
        var other = new DestinationState("10.1.2.4:8080", 1);

        string id = Encoding.ASCII.GetString(first.StickyId);

        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.DoesNotContain("10.1.2.3", id, StringComparison.Ordinal);
        Assert.True(first.StickyId.SequenceEqual(again.StickyId));
        Assert.False(first.StickyId.SequenceEqual(other.StickyId));
    }

    [Fact]
    public void StickyId_Configured_IsUsedVerbatim()
    {
        var state = new DestinationState("10.0.0.1:80", 1, new DestinationStateOptions { StickyId = "web-1" });

        Assert.Equal("web-1", Encoding.ASCII.GetString(state.StickyId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("caf\u00e9")]
    public void Constructor_InvalidStickyId_Throws(string stickyId)
    {
        Assert.Throws<ArgumentException>(() => new DestinationState("10.0.0.1:80", 1, new DestinationStateOptions { StickyId = stickyId }));
    }

    [Fact]
    public void Constructor_StickyIdOneByteOverLimit_Throws()
    {
        string longest = new('a', DestinationState.MaxStickyIdLength);

        _ = new DestinationState("10.0.0.1:80", 1, new DestinationStateOptions { StickyId = longest });
        Assert.Throws<ArgumentException>(() => new DestinationState("10.0.0.1:80", 1, new DestinationStateOptions { StickyId = longest + "a" }));
    }

    [Fact]
    public void Weight_Changed_AdvancesWeightsVersion()
    {
        var state = new DestinationState("10.0.0.1:80", 1);
        int before = DestinationState.WeightsVersion;

        state.Weight = 3;

        Assert.Equal(3, state.Weight);
        Assert.True(DestinationState.WeightsVersion > before);
    }

    [Fact]
    public void Weight_BelowOne_Throws()
    {
        var state = new DestinationState("10.0.0.1:80", 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => state.Weight = 0);
        Assert.Equal(2, state.Weight);
    }

    [Fact]
    public void GetLatencyEstimate_NoSample_ReturnsDefault()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);

        Assert.False(state.HasLatencySample);
        Assert.Equal(0.030, state.GetLatencyEstimate(clock.GetTimestamp(), 0.030));
    }

    [Fact]
    public void GetLatencyEstimate_FirstSample_ReplacesDefault()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);

        Finish(state, clock, TimeSpan.FromMilliseconds(5));

        Assert.True(state.HasLatencySample);
        Assert.Equal(0.005, state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 9);
    }

    [Fact]
    public void GetLatencyEstimate_SlowerSample_ReplacesEstimateAtOnce()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);
        Finish(state, clock, TimeSpan.FromMilliseconds(10));

        Finish(state, clock, TimeSpan.FromMilliseconds(800));

        Assert.Equal(0.800, state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 9);
    }

    [Fact]
    public void GetLatencyEstimate_FasterSample_BlendsInByTimeSinceLastSample()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);
        Finish(state, clock, TimeSpan.FromMilliseconds(100));

        clock.Advance(Tau);
        Finish(state, clock, TimeSpan.FromMilliseconds(10));

        double expected = (0.100 * Math.Exp(-1)) + (0.010 * (1 - Math.Exp(-1)));
        Assert.Equal(expected, state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 9);
    }

    [Fact]
    public void GetLatencyEstimate_FasterSampleSoonAfter_BarelyMoves()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);
        Finish(state, clock, TimeSpan.FromMilliseconds(100));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Finish(state, clock, TimeSpan.FromMilliseconds(10));

        Assert.InRange(state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 0.0999, 0.1);
    }

    [Fact]
    public void GetLatencyEstimate_IdleDestination_DecaysWithTime()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);
        Finish(state, clock, TimeSpan.FromMilliseconds(100));

        clock.Advance(Tau * 2);

        Assert.Equal(0.100 * Math.Exp(-2), state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 9);
    }

    [Fact]
    public void GetLatencyEstimate_NeverSampledIdle_DecaysDefaultFromCreation()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);

        clock.Advance(Tau);

        Assert.Equal(0.030 * Math.Exp(-1), state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 9);
    }

    [Fact]
    public void GetLatencyEstimate_RequestInFlight_DoesNotDecay()
    {
        var clock = new ManualTimeProvider();
        var state = NewState(clock);
        Finish(state, clock, TimeSpan.FromMilliseconds(100));
        state.OnRequestStart();

        clock.Advance(Tau * 3);

        Assert.Equal(0.100, state.GetLatencyEstimate(clock.GetTimestamp(), 0.030), 9);
    }

    [Fact]
    public void OnRequestEnd_ConcurrentThreads_CountersReturnToZero()
    {
        var state = new DestinationState("10.0.0.1:80", 1);
        const int Threads = 8;
        const int PerThread = 50_000;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                state.OnRequestStart();
                state.OnRequestEnd(i % 1000);
            }
        });

        Assert.Equal(0, state.ActiveRequests);
        Assert.Equal(Threads * PerThread, state.TotalRequests);
        Assert.InRange(state.GetLatencyEstimate(0, 1), 0, 0.001);
    }

    private static DestinationState NewState(ManualTimeProvider clock) =>
        new("10.0.0.1:80", 1, new DestinationStateOptions { TimeProvider = clock, LatencyDecayTime = Tau });

    private static void Finish(DestinationState state, ManualTimeProvider clock, TimeSpan latency)
    {
        state.OnRequestStart();
        state.OnRequestEnd(ManualTimeProvider.Ticks(latency), clock.GetTimestamp());
    }
}
