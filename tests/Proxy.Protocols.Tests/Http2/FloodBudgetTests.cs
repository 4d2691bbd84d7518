using CsCheck;
using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Tests.Http2;

public class FloodBudgetTests
{
    private const long Second = 1_000_000;   // timestamps in microseconds

    [Fact]
    public void TryTake_BurstAtOneInstant_AcceptedThenTheNextRefused()
    {
        var budget = new FloodBudget(burst: 10, perSecond: 1, Second);

        for (int i = 0; i < 10; i++) Assert.True(budget.TryTake(0));
        Assert.False(budget.TryTake(0));
        Assert.Equal((10, 1), (budget.Taken, budget.Refused));
    }

    [Fact]
    public void TryTake_AfterTheBurst_OneMorePerIntervalAsTimePasses()
    {
        var budget = new FloodBudget(burst: 2, perSecond: 10, Second);
        Assert.True(budget.TryTake(0));
        Assert.True(budget.TryTake(0));

        Assert.False(budget.TryTake(99_999));
        Assert.True(budget.TryTake(100_000));
        Assert.False(budget.TryTake(100_000));
        Assert.True(budget.TryTake(200_000));
    }

    [Fact]
    public void TryTake_RefusalDoesNotConsume_SoAPausedPeerRecovers()
    {
        var budget = new FloodBudget(burst: 1, perSecond: 1, Second);
        Assert.True(budget.TryTake(0));
        for (int i = 0; i < 1000; i++) Assert.False(budget.TryTake(500_000));

        Assert.True(budget.TryTake(Second));
    }

    [Fact]
    public void TryTake_LongIdle_BurstRestoredButNotMore()
    {
        var budget = new FloodBudget(burst: 3, perSecond: 1, Second);
        for (int i = 0; i < 3; i++) Assert.True(budget.TryTake(0));

        for (int i = 0; i < 3; i++) Assert.True(budget.TryTake(3600 * Second));
        Assert.False(budget.TryTake(3600 * Second));
    }

    [Fact]
    public void TryTake_PeerAtExactlyTheRate_NeverRefused()
    {
        Gen.Select(Gen.Int[1, 100], Gen.Int[1, 1000], Gen.Int[1, 500]).Sample((burst, perSecond, events) =>
        {
            var budget = new FloodBudget(burst, perSecond, Second);
            long interval = Second / perSecond;
            for (int i = 0; i < events; i++) Assert.True(budget.TryTake(i * interval));
        }, iter: 300);
    }

    [Fact]
    public void TryTake_AnyTimeline_NeverMoreThanBurstPlusRateTimesElapsed()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 50], Gen.Int[0, 200_000].Array[1, 300]).Sample((burst, perSecond, gaps) =>
        {
            var budget = new FloodBudget(burst, perSecond, Second);
            long now = 0;
            foreach (int gap in gaps)
            {
                now += gap;
                budget.TryTake(now);
                long elapsed = now - gaps[0];
                Assert.True(budget.Taken <= burst + elapsed * perSecond / Second + 1);
            }
        }, iter: 300);
    }

    [Fact]
    public void Reasons_FloodsAreEnhanceYourCalmAndTooManyStreamsRefused()
    {
        foreach (Http2RejectReason reason in new[] { Http2RejectReason.RapidReset, Http2RejectReason.SettingsFlood, Http2RejectReason.PingFlood, Http2RejectReason.PriorityFlood, Http2RejectReason.EmptyDataFlood, Http2RejectReason.WindowUpdateFlood })
            Assert.Equal(Http2ErrorCode.EnhanceYourCalm, Http2RejectErrorCode.Of(reason));
        Assert.Equal(Http2ErrorCode.RefusedStream, Http2RejectErrorCode.Of(Http2RejectReason.TooManyStreams));
    }
}
