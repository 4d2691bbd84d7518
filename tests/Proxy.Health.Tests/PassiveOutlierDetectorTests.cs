using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class PassiveOutlierDetectorTests
{
    private static readonly PassiveHealthOptions Options = new()
    {
        ConsecutiveFailures = 5,
        EjectionTime = TimeSpan.FromSeconds(30),
        MaxEjectionPercent = 50,
        MaxEjectionTime = TimeSpan.FromSeconds(300),
    };

    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingHealthEvents _events = new();

    private PassiveOutlierDetector Detector(PassiveHealthOptions? options = null) => new("api", options ?? Options, _time, _events);

    private static void Fail(OutlierState state, int count = 5, RequestOutcome outcome = RequestOutcome.ConnectFailure)
    {
        for (int i = 0; i < count; i++) state.Record(outcome);
    }

    /// <summary>Ejects <paramref name="state"/> and waits the ejection out.</summary>
    private void EjectAndServe(OutlierState state, TimeSpan duration)
    {
        Fail(state);
        Assert.True(state.IsEjected);
        _time.Advance(duration);
        Assert.False(state.IsEjected);
    }

    [Fact]
    public void Record_FailuresBelowThreshold_DoesNotEject()
    {
        var state = Detector().Add("a:1");

        Fail(state, 4);

        Assert.False(state.IsEjected);
        Assert.Equal(4, state.ConsecutiveFailures);
    }

    [Fact]
    public void Record_SuccessBetweenFailures_StartsTheCountOver()
    {
        var state = Detector().Add("a:1");
        Fail(state, 4);

        state.Record(RequestOutcome.Success);
        Fail(state, 4);

        Assert.False(state.IsEjected);
        Assert.Equal(4, state.ConsecutiveFailures);
    }

    [Fact]
    public void Record_CancelledBetweenFailures_NeitherCountsNorResets()
    {
        var state = Detector().Add("a:1");
        Fail(state, 4);

        state.Record(RequestOutcome.Cancelled);
        Fail(state, 1, RequestOutcome.Status5xx);

        Assert.True(state.IsEjected);
    }

    [Theory]
    [InlineData(RequestOutcome.ConnectFailure)]
    [InlineData(RequestOutcome.ConnectTimeout)]
    [InlineData(RequestOutcome.Reset)]
    [InlineData(RequestOutcome.Status5xx)]
    [InlineData(RequestOutcome.ResponseHeaderTimeout)]
    public void Record_ThresholdOfAnyFailureKind_EjectsForEjectionTime(RequestOutcome outcome)
    {
        var detector = Detector();
        var state = detector.Add("a:1");

        Fail(state, 5, outcome);

        Assert.True(state.IsEjected);
        Assert.Equal(1, state.EjectionMultiplier);
        Assert.Equal(1, detector.EjectedCount);
        Assert.Equal(["ejected api a:1 30s x1"], _events.Lines);
    }

    [Fact]
    public void Timer_EjectionTimeElapsed_RestoresWithFreshCount()
    {
        var detector = Detector();
        var state = detector.Add("a:1");
        Fail(state);

        _time.Advance(Options.EjectionTime - Tick);
        Assert.True(state.IsEjected);
        _time.Advance(Tick);

        Assert.False(state.IsEjected);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal(0, detector.EjectedCount);
        Assert.Equal(["ejected api a:1 30s x1", "restored api a:1"], _events.Lines);
    }

    [Fact]
    public void Record_WhileEjected_IsIgnored()
    {
        var detector = Detector();
        var state = detector.Add("a:1");
        Fail(state);

        Fail(state, 20);

        Assert.Equal(1, detector.Ejections);
        Assert.Equal(5, state.ConsecutiveFailures);
    }

    [Fact]
    public void Eject_AgainRightAfterComingBack_LastsTwiceAsLong()
    {
        var state = Detector().Add("a:1");
        EjectAndServe(state, TimeSpan.FromSeconds(30));

        Fail(state);

        Assert.Equal(2, state.EjectionMultiplier);
        Assert.Equal("ejected api a:1 60s x2", _events.Lines[^1]);
        _time.Advance(TimeSpan.FromSeconds(60) - Tick);
        Assert.True(state.IsEjected);
        _time.Advance(Tick);
        Assert.False(state.IsEjected);
    }

    [Fact]
    public void Eject_RepeatedlyWithoutRest_GrowsThenCapsAtMaxEjectionTime()
    {
        var state = Detector().Add("a:1");
        var durations = new List<string>();
        for (int i = 1; i <= 12; i++)
        {
            Fail(state);
            durations.Add(_events.Lines[^1]);
            _time.Advance(TimeSpan.FromSeconds(Math.Min(30 * i, 300)));
        }

        Assert.Equal("ejected api a:1 270s x9", durations[8]);
        Assert.Equal("ejected api a:1 300s x10", durations[9]);
        Assert.Equal("ejected api a:1 300s x10", durations[11]);
    }

    [Fact]
    public void Eject_MaxEjectionTimeNotAMultiple_CapsTheDurationExactly()
    {
        var state = Detector(Options with { MaxEjectionTime = TimeSpan.FromSeconds(45) }).Add("a:1");
        EjectAndServe(state, TimeSpan.FromSeconds(30));

        Fail(state);

        Assert.Equal("ejected api a:1 45s x2", _events.Lines[^1]);
    }

    [Fact]
    public void Eject_AfterOneEjectionTimeInService_ForgivesOneEjection()
    {
        var state = Detector().Add("a:1");
        EjectAndServe(state, TimeSpan.FromSeconds(30));
        Fail(state);   // x2, 60 s
        _time.Advance(TimeSpan.FromSeconds(60));

        _time.Advance(Options.EjectionTime);   // one ejection_time back in service: x2 -> x1
        Fail(state);

        Assert.Equal("ejected api a:1 60s x2", _events.Lines[^1]);
    }

    [Fact]
    public void Eject_AfterLongEnoughInService_StartsOverAtOne()
    {
        var state = Detector().Add("a:1");
        EjectAndServe(state, TimeSpan.FromSeconds(30));
        EjectAndServe(state, TimeSpan.FromSeconds(60));
        Fail(state);   // x3
        _time.Advance(TimeSpan.FromSeconds(90));

        _time.Advance(Options.EjectionTime * 3);
        Fail(state);

        Assert.Equal("ejected api a:1 30s x1", _events.Lines[^1]);
    }

    [Fact]
    public void Eject_AtMaxEjectionPercent_RefusesCountsAndStartsCountOver()
    {
        var detector = Detector();
        var states = new[] { detector.Add("a:1"), detector.Add("a:2"), detector.Add("a:3"), detector.Add("a:4") };
        Fail(states[0]);
        Fail(states[1]);   // 2 of 4 = 50%: allowed

        Fail(states[2]);   // 3 of 4 would be 75%

        Assert.False(states[2].IsEjected);
        Assert.Equal(0, states[2].ConsecutiveFailures);
        Assert.Equal(2, detector.EjectedCount);
        Assert.Equal(1, detector.EjectionsSkipped);
        Assert.Equal(2, _events.Count("ejected"));
    }

    [Fact]
    public void Eject_CapFreedByRestoration_EjectsTheNextOutlier()
    {
        var detector = Detector();
        var a = detector.Add("a:1");
        var b = detector.Add("a:2");
        Fail(a);
        Fail(b);
        Assert.False(b.IsEjected);

        _time.Advance(Options.EjectionTime);
        Fail(b);

        Assert.True(b.IsEjected);
    }

    [Fact]
    public void Eject_SingleDestinationCluster_StillEjectsIt()
    {
        var state = Detector().Add("a:1");

        Fail(state);

        Assert.True(state.IsEjected);
    }

    [Fact]
    public void Eject_ThreeDestinationsAtFiftyPercent_EjectsOnlyOne()
    {
        var detector = Detector();
        var states = new[] { detector.Add("a:1"), detector.Add("a:2"), detector.Add("a:3") };

        foreach (var state in states) Fail(state);

        Assert.Equal(1, detector.EjectedCount);   // 2 of 3 would be 67%
    }

    [Fact]
    public void Eject_MaxEjectionPercentZero_NeverEjects()
    {
        var detector = Detector(Options with { MaxEjectionPercent = 0 });
        var state = detector.Add("a:1");

        Fail(state, 50);

        Assert.False(state.IsEjected);
        Assert.Equal(10, detector.EjectionsSkipped);
    }

    [Fact]
    public void Eject_MaxEjectionPercentHundred_EjectsEveryone()
    {
        var detector = Detector(Options with { MaxEjectionPercent = 100 });
        var states = new[] { detector.Add("a:1"), detector.Add("a:2"), detector.Add("a:3") };

        foreach (var state in states) Fail(state);

        Assert.Equal(3, detector.EjectedCount);
    }

    [Fact]
    public void Remove_EjectedDestination_FreesItsShareAndStopsItsTimer()
    {
        var detector = Detector();
        var a = detector.Add("a:1");
        var b = detector.Add("a:2");
        Fail(a);

        detector.Remove(a);
        detector.Remove(a);

        Assert.Equal(0, detector.EjectedCount);
        Assert.Equal(1, detector.DestinationCount);
        Assert.Equal(0, _time.ArmedTimers);
        Fail(b);
        Assert.True(b.IsEjected);
    }

    [Fact]
    public void Remove_StateOfAnotherDetector_Throws()
    {
        var state = Detector().Add("a:1");

        Assert.Throws<ArgumentException>(() => Detector().Remove(state));
    }

    [Fact]
    public void Record_ManyThreadsFailing_EjectsOnceAndRaisesOnce()
    {
        var detector = Detector();
        var state = detector.Add("a:1");

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => state.Record(RequestOutcome.Reset));

        Assert.True(state.IsEjected);
        Assert.Equal(1, detector.Ejections);
        Assert.Equal(["ejected api a:1 30s x1"], _events.Lines);
    }

    [Fact]
    public void Record_SuccessOnHealthyDestination_AllocatesNothing()
    {
        var state = Detector().Add("a:1");
        state.Record(RequestOutcome.Success);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            state.Record(RequestOutcome.Success);
            state.Record(RequestOutcome.Status5xx);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
