using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class CircuitBreakerTests
{
    private static readonly CircuitBreakerOptions Options = new()
    {
        FailureRatio = 0.5,
        MinimumRequests = 20,
        Window = TimeSpan.FromSeconds(10),
        OpenFor = TimeSpan.FromSeconds(10),
        HalfOpenRequests = 3,
    };

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingHealthEvents _events = new();

    private CircuitBreaker Breaker(CircuitBreakerOptions? options = null) => new("api", "a:1", options ?? Options, _time, _events);

    private static void Send(CircuitBreaker breaker, RequestOutcome outcome, int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(breaker.TryAcquire(out CircuitPermit permit));
            breaker.Record(permit, outcome);
        }
    }

    private CircuitBreaker OpenBreaker()
    {
        var breaker = Breaker();
        Send(breaker, RequestOutcome.Status5xx, 20);
        Assert.Equal(CircuitState.Open, breaker.State);
        return breaker;
    }

    private CircuitBreaker HalfOpenBreaker()
    {
        var breaker = OpenBreaker();
        _time.Advance(Options.OpenFor);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        return breaker;
    }

    [Fact]
    public void TryAcquire_NewBreaker_IsClosedAndAdmitsTrackedPermit()
    {
        var breaker = Breaker();

        Assert.True(breaker.TryAcquire(out CircuitPermit permit));
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(permit.IsTracked);
        Assert.False(permit.IsTrial);
    }

    [Fact]
    public void Record_AllFailedButBelowMinimumRequests_StaysClosed()
    {
        var breaker = Breaker();

        Send(breaker, RequestOutcome.ConnectFailure, 19);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal((19, 19), breaker.CountWindow());
    }

    [Fact]
    public void Record_RatioReachedAtMinimumRequests_Opens()
    {
        var breaker = Breaker();
        Send(breaker, RequestOutcome.Success, 10);
        Send(breaker, RequestOutcome.Status5xx, 9);
        Assert.Equal(CircuitState.Closed, breaker.State);

        Send(breaker, RequestOutcome.Reset);   // 10 of 20 failed: exactly the ratio

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(1, breaker.TimesOpened);
        Assert.Equal(["circuit api a:1 Closed->Open"], _events.Lines);
    }

    [Fact]
    public void Record_RatioJustBelow_StaysClosed()
    {
        var breaker = Breaker();
        Send(breaker, RequestOutcome.Success, 11);

        Send(breaker, RequestOutcome.Status5xx, 10);   // 10 of 21 < 0.5

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Record_SuccessesDoNotOpen_OnlyFailuresCheckTheRatio()
    {
        var breaker = Breaker();
        Send(breaker, RequestOutcome.Status5xx, 19);

        Send(breaker, RequestOutcome.Success);   // 20 requests, 19 failed: only the next failure looks

        Assert.Equal(CircuitState.Closed, breaker.State);
        Send(breaker, RequestOutcome.Status5xx);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void Record_CancelledOutcomes_CountNeitherWay()
    {
        var breaker = Breaker();

        Send(breaker, RequestOutcome.Cancelled, 50);

        Assert.Equal((0, 0), breaker.CountWindow());
    }

    [Fact]
    public void Record_FailuresOlderThanWindow_NoLongerCount()
    {
        var breaker = Breaker();
        Send(breaker, RequestOutcome.Status5xx, 15);

        _time.Advance(Options.Window);
        Send(breaker, RequestOutcome.Status5xx, 10);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal((10, 10), breaker.CountWindow());
    }

    [Fact]
    public void Record_FailuresSpreadAcrossWindow_AllCount()
    {
        var breaker = Breaker();
        for (int i = 0; i < 10; i++)
        {
            Send(breaker, RequestOutcome.Success);
            Send(breaker, RequestOutcome.Status5xx);
            _time.Advance(TimeSpan.FromMilliseconds(990));   // stays inside the 10 s window
        }

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void TryAcquire_Open_RefusesAndCounts()
    {
        var breaker = OpenBreaker();

        Assert.False(breaker.TryAcquire(out CircuitPermit permit));
        Assert.False(breaker.TryAcquire(out _));
        Assert.False(permit.IsTracked);
        Assert.Equal(2, breaker.Rejected);
    }

    [Fact]
    public void Timer_OpenForNotYetElapsed_StaysOpen()
    {
        var breaker = OpenBreaker();

        _time.Advance(Options.OpenFor - TimeSpan.FromTicks(1));

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire(out _));
    }

    [Fact]
    public void Timer_OpenForElapsed_HalfOpensWithoutAnyTraffic()
    {
        var breaker = OpenBreaker();

        _time.Advance(Options.OpenFor);

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(["circuit api a:1 Closed->Open", "circuit api a:1 Open->HalfOpen"], _events.Lines);
    }

    [Fact]
    public void TryAcquire_HalfOpen_AdmitsOnlyHalfOpenRequestsTrials()
    {
        var breaker = HalfOpenBreaker();

        for (int i = 0; i < 3; i++)
        {
            Assert.True(breaker.TryAcquire(out CircuitPermit trial));
            Assert.True(trial.IsTrial);
        }

        Assert.False(breaker.TryAcquire(out _));
    }

    [Fact]
    public void Record_EveryTrialSucceeds_ClosesWithEmptyWindow()
    {
        var breaker = HalfOpenBreaker();
        var trials = new CircuitPermit[3];
        for (int i = 0; i < 3; i++) Assert.True(breaker.TryAcquire(out trials[i]));

        breaker.Record(trials[0], RequestOutcome.Success);
        breaker.Record(trials[1], RequestOutcome.Success);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        breaker.Record(trials[2], RequestOutcome.Success);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal((0, 0), breaker.CountWindow());
        Assert.Equal("circuit api a:1 HalfOpen->Closed", _events.Lines[^1]);
    }

    [Fact]
    public void Record_OneTrialFails_OpensAgainForOpenFor()
    {
        var breaker = HalfOpenBreaker();
        Assert.True(breaker.TryAcquire(out CircuitPermit first));
        Assert.True(breaker.TryAcquire(out CircuitPermit second));
        breaker.Record(first, RequestOutcome.Success);

        breaker.Record(second, RequestOutcome.ConnectTimeout);

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(2, breaker.TimesOpened);
        _time.Advance(Options.OpenFor - TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void Record_TrialOfEarlierHalfOpen_DoesNotCountInTheNext()
    {
        var breaker = HalfOpenBreaker();
        Assert.True(breaker.TryAcquire(out CircuitPermit stale));
        Assert.True(breaker.TryAcquire(out CircuitPermit failing));
        breaker.Record(failing, RequestOutcome.Reset);   // opens again
        _time.Advance(Options.OpenFor);                  // a new half-open phase
        var fresh = new CircuitPermit[3];
        for (int i = 0; i < 3; i++) Assert.True(breaker.TryAcquire(out fresh[i]));

        breaker.Record(stale, RequestOutcome.Status5xx);

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        foreach (CircuitPermit permit in fresh) breaker.Record(permit, RequestOutcome.Success);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Record_CancelledTrial_HandsTheTrialBack()
    {
        var breaker = HalfOpenBreaker();
        var trials = new CircuitPermit[3];
        for (int i = 0; i < 3; i++) Assert.True(breaker.TryAcquire(out trials[i]));
        Assert.False(breaker.TryAcquire(out _));

        breaker.Record(trials[0], RequestOutcome.Cancelled);

        Assert.True(breaker.TryAcquire(out CircuitPermit replacement));
        Assert.True(replacement.IsTrial);
        breaker.Record(trials[1], RequestOutcome.Success);
        breaker.Record(trials[2], RequestOutcome.Success);
        breaker.Record(replacement, RequestOutcome.Success);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Record_PermitFromBeforeOpening_IsIgnoredInHalfOpen()
    {
        var breaker = Breaker();
        Assert.True(breaker.TryAcquire(out CircuitPermit slowRequest));
        Send(breaker, RequestOutcome.Status5xx, 20);
        _time.Advance(Options.OpenFor);

        breaker.Record(slowRequest, RequestOutcome.Status5xx);

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void Record_FailureOfPermitFromBeforeClosing_DoesNotCountInNewWindow()
    {
        var breaker = HalfOpenBreaker();
        var trials = new CircuitPermit[3];
        for (int i = 0; i < 3; i++) Assert.True(breaker.TryAcquire(out trials[i]));
        foreach (CircuitPermit trial in trials) breaker.Record(trial, RequestOutcome.Success);

        breaker.Record(trials[0], RequestOutcome.Status5xx);

        Assert.Equal((0, 0), breaker.CountWindow());
    }

    [Fact]
    public void TryAcquire_TrialsNeverReportedForOpenFor_HandsOutFreshTrials()
    {
        var breaker = HalfOpenBreaker();
        for (int i = 0; i < 3; i++) Assert.True(breaker.TryAcquire(out _));   // lost: never reported
        Assert.False(breaker.TryAcquire(out _));

        _time.Advance(Options.OpenFor);

        Assert.True(breaker.TryAcquire(out CircuitPermit trial));
        Assert.True(trial.IsTrial);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(1, _events.Count("circuit api a:1 Open->HalfOpen"));
    }

    [Fact]
    public void Record_DefaultPermit_IsIgnored()
    {
        var breaker = Breaker();

        for (int i = 0; i < 30; i++) breaker.Record(default, RequestOutcome.Status5xx);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal((0, 0), breaker.CountWindow());
    }

    [Fact]
    public void TryAcquire_OpenAfterDispose_StillHalfOpensLazilyWhenTimeIsUp()
    {
        var breaker = OpenBreaker();
        breaker.Dispose();

        _time.Advance(Options.OpenFor);

        Assert.Equal(CircuitState.Open, breaker.State);   // no timer any more ...
        Assert.True(breaker.TryAcquire(out CircuitPermit permit));   // ... but a request finds the time is up
        Assert.True(permit.IsTrial);
    }

    [Fact]
    public void Transitions_FullCycle_EachEventRaisedOnce()
    {
        var breaker = HalfOpenBreaker();
        var trials = new CircuitPermit[3];
        for (int i = 0; i < 3; i++) Assert.True(breaker.TryAcquire(out trials[i]));
        foreach (CircuitPermit trial in trials) breaker.Record(trial, RequestOutcome.Success);

        Assert.Equal(
            ["circuit api a:1 Closed->Open", "circuit api a:1 Open->HalfOpen", "circuit api a:1 HalfOpen->Closed"],
            _events.Lines);
    }

    [Fact]
    public void Record_ManyThreadsFailingAtOnce_OpensExactlyOnce()
    {
        var breaker = Breaker(Options with { MinimumRequests = 100 });

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (breaker.TryAcquire(out CircuitPermit permit)) breaker.Record(permit, RequestOutcome.Status5xx);
        });

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(1, breaker.TimesOpened);
        Assert.Equal(["circuit api a:1 Closed->Open"], _events.Lines);
    }

    [Fact]
    public void Record_ManyThreadsSucceeding_CountsEveryOutcome()
    {
        var breaker = Breaker();

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            Assert.True(breaker.TryAcquire(out CircuitPermit permit));
            breaker.Record(permit, RequestOutcome.Success);
        });

        Assert.Equal((10_000, 0), breaker.CountWindow());
    }

    [Fact]
    public void Record_ManyThreadsOnHalfOpen_ClosesOnceAndNeverOverIssuesTrials()
    {
        var breaker = HalfOpenBreaker();
        int admitted = 0;

        Parallel.For(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (breaker.TryAcquire(out CircuitPermit permit) && permit.IsTrial)
            {
                Interlocked.Increment(ref admitted);
                breaker.Record(permit, RequestOutcome.Success);
            }
        });

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(3, admitted);
        Assert.Equal(1, _events.Count("circuit api a:1 HalfOpen->Closed"));
    }

    [Fact]
    public void AcquireAndRecord_ClosedBreaker_AllocateNothing()
    {
        var breaker = Breaker();
        Send(breaker, RequestOutcome.Success);   // warm up: JIT, first bucket

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            breaker.TryAcquire(out CircuitPermit permit);
            breaker.Record(permit, i % 4 == 0 ? RequestOutcome.Status5xx : RequestOutcome.Success);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithTheSentence()
    {
        var exception = Assert.Throws<ArgumentException>(() => Breaker(Options with { MinimumRequests = 0 }));

        Assert.Contains("minimum_requests: must be at least 1", exception.Message, StringComparison.Ordinal);
    }
}
