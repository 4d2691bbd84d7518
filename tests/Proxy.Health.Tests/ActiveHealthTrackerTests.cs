namespace Proxy.Health.Tests;

public class ActiveHealthTrackerTests
{
    private static ActiveHealthTracker Tracker(int healthy = 2, int unhealthy = 3) => new(new HealthThresholds(healthy, unhealthy));

    private static void Feed(ActiveHealthTracker tracker, params bool[] results)
    {
        foreach (bool passed in results) tracker.Record(passed);
    }

    [Fact]
    public void State_New_IsUnknown()
    {
        Assert.Equal(ActiveHealth.Unknown, Tracker().State);
    }

    [Fact]
    public void Record_UnknownPassesBelowHealthyThreshold_StaysUnknown()
    {
        var tracker = Tracker(healthy: 2);

        Assert.False(tracker.Record(true));
        Assert.Equal(ActiveHealth.Unknown, tracker.State);
    }

    [Fact]
    public void Record_UnknownReachesHealthyThreshold_BecomesHealthy()
    {
        var tracker = Tracker(healthy: 2);
        tracker.Record(true);

        Assert.True(tracker.Record(true));
        Assert.Equal(ActiveHealth.Healthy, tracker.State);
    }

    [Fact]
    public void Record_UnknownReachesUnhealthyThreshold_BecomesUnhealthy()
    {
        var tracker = Tracker(unhealthy: 3);
        Feed(tracker, false, false);
        Assert.Equal(ActiveHealth.Unknown, tracker.State);

        Assert.True(tracker.Record(false));
        Assert.Equal(ActiveHealth.Unhealthy, tracker.State);
    }

    [Fact]
    public void Record_HealthyFailsBelowThreshold_StaysHealthy()
    {
        var tracker = Tracker(healthy: 1, unhealthy: 3);
        Feed(tracker, true, false, false);

        Assert.Equal(ActiveHealth.Healthy, tracker.State);
        Assert.Equal(2, tracker.ConsecutiveFailures);
    }

    [Fact]
    public void Record_HealthyFailsUnhealthyThresholdTimes_BecomesUnhealthy()
    {
        var tracker = Tracker(healthy: 1, unhealthy: 3);
        Feed(tracker, true, false, false);

        Assert.True(tracker.Record(false));
        Assert.Equal(ActiveHealth.Unhealthy, tracker.State);
    }

    [Fact]
    public void Record_PassBetweenFailures_StartsFailureCountOver()
    {
        var tracker = Tracker(healthy: 1, unhealthy: 3);
        Feed(tracker, true, false, false, true, false, false);

        Assert.Equal(ActiveHealth.Healthy, tracker.State);
    }

    [Fact]
    public void Record_UnhealthyPassesHealthyThresholdTimes_BecomesHealthyAgain()
    {
        var tracker = Tracker(healthy: 2, unhealthy: 1);
        Feed(tracker, false);
        Assert.Equal(ActiveHealth.Unhealthy, tracker.State);

        Assert.False(tracker.Record(true));
        Assert.True(tracker.Record(true));
        Assert.Equal(ActiveHealth.Healthy, tracker.State);
    }

    [Fact]
    public void Record_UnhealthyFlapping_StaysUnhealthy()
    {
        var tracker = Tracker(healthy: 2, unhealthy: 1);
        Feed(tracker, false, true, false, true, false, true);

        Assert.Equal(ActiveHealth.Unhealthy, tracker.State);
        Assert.Equal(1, tracker.ConsecutivePasses);
    }

    [Fact]
    public void Record_ThresholdsOfOne_FlipOnEveryDisagreement()
    {
        var tracker = Tracker(healthy: 1, unhealthy: 1);

        Assert.True(tracker.Record(true));
        Assert.True(tracker.Record(false));
        Assert.True(tracker.Record(true));
        Assert.False(tracker.Record(true));
    }

    [Fact]
    public void Constructor_ThresholdBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tracker(healthy: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tracker(unhealthy: 0));
    }
}
