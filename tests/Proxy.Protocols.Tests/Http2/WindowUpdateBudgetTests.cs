using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Tests.Http2;

public class WindowUpdateBudgetTests
{
    private const long Second = 1_000_000;   // timestamps in microseconds

    [Fact]
    public void TryTake_NothingSent_OnlyTheBurstThenRefused()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 10, burst: 5, perSecond: 1, Second);

        for (int i = 0; i < 5; i++) Assert.True(budget.TryTake(0));
        Assert.False(budget.TryTake(0));
        Assert.Equal(1, budget.Refused);
    }

    [Fact]
    public void TryTake_EachDataFrameSent_EarnsItsShareBeyondTheBurst()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 2, burst: 1, perSecond: 1, Second);
        budget.OnDataFramesSent(3);

        for (int i = 0; i < 6 + 1; i++) Assert.True(budget.TryTake(0));   // 3 frames x 2, then the burst of 1
        Assert.False(budget.TryTake(0));
    }

    [Fact]
    public void TryTake_EarnedAreSpentFirst_SoTheBurstStaysForLater()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 1, burst: 2, perSecond: 1, Second);
        budget.OnDataFramesSent(1);
        Assert.True(budget.TryTake(0));
        Assert.Equal(0, budget.Earned);

        Assert.True(budget.TryTake(0));
        Assert.True(budget.TryTake(0));
        Assert.False(budget.TryTake(0));
    }

    [Fact]
    public void TryTake_StreamOpened_EarnsOne()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 10, burst: 1, perSecond: 1, Second);
        budget.OnStreamOpened();
        budget.OnStreamOpened();

        for (int i = 0; i < 3; i++) Assert.True(budget.TryTake(0));
        Assert.False(budget.TryTake(0));
    }

    [Fact]
    public void TryTake_ClientAcknowledgingEveryFrameAtBothLevels_NeverRefusedWhateverTheSpeed()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 2, burst: 1, perSecond: 1, Second);
        for (int frame = 0; frame < 100_000; frame++)
        {
            budget.OnDataFramesSent(1);
            Assert.True(budget.TryTake(0));    // the stream's credit back
            Assert.True(budget.TryTake(0));    // the connection's
        }
        Assert.Equal(0, budget.Refused);
    }

    [Fact]
    public void TryTake_AfterTheEarnedAndTheBurst_TheRateRefills()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 1, burst: 1, perSecond: 10, Second);
        Assert.True(budget.TryTake(0));
        Assert.False(budget.TryTake(50_000));

        Assert.True(budget.TryTake(100_000));
    }

    [Fact]
    public void OnDataFramesSent_HugeCounts_SaturateInsteadOfWrapping()
    {
        var budget = new WindowUpdateBudget(perDataFrame: 1_000_000, burst: 1, perSecond: 1, Second);
        for (int i = 0; i < 1000; i++) budget.OnDataFramesSent(int.MaxValue);

        Assert.True(budget.Earned > 0);
        Assert.True(budget.TryTake(0));
    }

    [Fact]
    public void Constructor_ZeroPerDataFrame_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowUpdateBudget(perDataFrame: 0, burst: 1, perSecond: 1, Second));
}
