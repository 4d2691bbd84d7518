using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class ClusterHealthTests
{
    private static readonly ActiveHealthOptions Active = new()
    {
        Interval = TimeSpan.FromSeconds(5),
        Timeout = TimeSpan.FromSeconds(1),
        HealthyThreshold = 2,
        UnhealthyThreshold = 3,
        JitterPercent = 0,
    };

    private static readonly PassiveHealthOptions Passive = new()
    {
        ConsecutiveFailures = 5,
        EjectionTime = TimeSpan.FromSeconds(30),
        MaxEjectionPercent = 50,
    };

    private static readonly CircuitBreakerOptions Breaker = new()
    {
        FailureRatio = 0.5,
        MinimumRequests = 10,
        Window = TimeSpan.FromSeconds(10),
        OpenFor = TimeSpan.FromSeconds(10),
        HalfOpenRequests = 1,
    };

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedHealthProbe _probe = new();
    private readonly RecordingHealthEvents _events = new();
    private readonly List<ClusterHealthSnapshot> _changes = [];

    private ClusterHealth Cluster(ClusterHealthOptions options, params string[] keys)
    {
        var cluster = new ClusterHealth("api", options, _probe, _events, _time, new FixedJitterSource(0.5));
        cluster.Changed += (sender, snapshot) =>
        {
            Assert.Same(cluster, sender);
            _changes.Add(snapshot);
        };
        if (keys.Length > 0) cluster.SetDestinations(keys);
        return cluster;
    }

    private static string[] UsableKeys(ClusterHealth cluster) => [.. cluster.Current.Usable.Select(d => d.Key)];

    private static void Report(DestinationHealth destination, RequestOutcome outcome, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(destination.TryAcquire(out CircuitPermit permit));
            destination.Report(permit, outcome);
        }
    }

    /// <summary>Runs the probes due now: with no jitter, a destination's first probe is due when it is added.</summary>
    private void FirstRound() => _time.Advance(TimeSpan.Zero);

    /// <summary>Runs <paramref name="rounds"/> more probe rounds, one interval apart.</summary>
    private void NextRounds(int rounds = 1)
    {
        for (int i = 0; i < rounds; i++) _time.Advance(Active.Interval);
    }

    [Fact]
    public void SetDestinations_AtStartWithProbing_UnknownDestinationsAreUsable()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1", "a:2");

        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
        Assert.All(cluster.Current.Destinations, d => Assert.Equal(ActiveHealth.Unknown, d.ActiveHealth));
        Assert.False(cluster.IsPanicking);
        Assert.Single(_changes);
    }

    [Fact]
    public void SetDestinations_NoActiveProbing_DestinationsAreHealthy()
    {
        using var cluster = Cluster(new() { Passive = Passive }, "a:1");

        Assert.Equal(ActiveHealth.Healthy, cluster.Current.Destinations[0].ActiveHealth);
        Assert.Equal(["a:1"], UsableKeys(cluster));
        Assert.Empty(_probe.Calls);
    }

    [Fact]
    public void Probes_FailUnhealthyThresholdTimes_DestinationLeavesUsableSetWithOneChange()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1", "a:2");
        _probe.Answer("a:1", ProbeResult.Responded(503));
        _changes.Clear();

        FirstRound();
        NextRounds();
        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
        NextRounds();

        Assert.Equal(["a:2"], UsableKeys(cluster));
        Assert.Single(_changes);
        Assert.Equal(["active api a:2 Unknown->Healthy (status 200)", "active api a:1 Unknown->Unhealthy (status 503)"], _events.Lines);
    }

    [Fact]
    public void Probes_UnknownBecomesHealthy_UsableSetUnchangedAndNoChangeRaised()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1");
        _changes.Clear();

        FirstRound();
        NextRounds();

        Assert.Equal(ActiveHealth.Healthy, cluster.Current.Destinations[0].ActiveHealth);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Probes_UnhealthyPassesHealthyThreshold_ReturnsToUsableSet()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1", "a:2");
        _probe.Answer("a:1", ProbeResult.Failed(RequestOutcome.ConnectFailure));
        FirstRound();
        NextRounds(2);
        Assert.Equal(["a:2"], UsableKeys(cluster));
        _probe.Answer("a:1", ProbeResult.Responded(200));

        NextRounds(2);

        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
        Assert.Equal("active api a:1 Unhealthy->Healthy (status 200)", _events.Lines[^1]);
    }

    [Fact]
    public void SetDestinations_AddedToRunningCluster_WaitsForHealthyVerdict()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1");
        FirstRound();
        NextRounds();

        cluster.SetDestinations(["a:1", "a:2"]);
        Assert.Equal(["a:1"], UsableKeys(cluster));
        FirstRound();   // a:2's first probe
        Assert.Equal(ActiveHealth.Unknown, cluster.Current.Destinations[1].ActiveHealth);
        Assert.Equal(["a:1"], UsableKeys(cluster));
        NextRounds();

        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
    }

    [Fact]
    public void SetDestinations_AddedToEmptiedCluster_UsableBeforeVerdict()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1");
        cluster.SetDestinations([]);

        cluster.SetDestinations(["b:1"]);

        Assert.Equal(["b:1"], UsableKeys(cluster));
    }

    [Fact]
    public void SetDestinations_NewcomerInClusterWithNothingUsable_GetsTrafficThroughPanic()
    {
        using var cluster = Cluster(new() { Active = Active with { UnhealthyThreshold = 1 } }, "a:1");
        _probe.Answer("a:1", ProbeResult.Responded(500));
        FirstRound();

        cluster.SetDestinations(["a:1", "a:2"]);

        Assert.True(cluster.IsPanicking);
        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
    }

    [Fact]
    public void SetDestinations_KeptKey_KeepsItsState()
    {
        using var cluster = Cluster(new() { Passive = Passive }, "a:1", "a:2");
        DestinationHealth first = cluster.Current.Destinations[0];
        Report(first, RequestOutcome.Reset, 5);

        cluster.SetDestinations(["a:2", "a:1", "a:3"]);

        Assert.Same(first, cluster.Current.Destinations[1]);
        Assert.True(first.IsEjected);
        Assert.Equal(["a:2", "a:3"], UsableKeys(cluster));
    }

    [Fact]
    public void SetDestinations_RemovedKey_StopsProbingAndForgetsIt()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1", "a:2");
        FirstRound();

        cluster.SetDestinations(["a:2"]);
        NextRounds(3);

        Assert.Equal(1, _probe.CallsTo("a:1"));
        Assert.Equal(4, _probe.CallsTo("a:2"));
        Assert.Null(cluster.Find("a:1"));
        Assert.NotNull(cluster.Find("a:2"));
    }

    [Fact]
    public void SetDestinations_RemovedEjectedKey_FreesItsEjectionShare()
    {
        using var cluster = Cluster(new() { Passive = Passive }, "a:1", "a:2");
        Report(cluster.Current.Destinations[0], RequestOutcome.Reset, 5);

        cluster.SetDestinations(["a:2", "a:3"]);

        Assert.Equal(0, cluster.OutlierDetector!.EjectedCount);
        Assert.Equal(2, cluster.OutlierDetector.DestinationCount);
    }

    [Fact]
    public void SetDestinations_SameKeysAgain_RaisesNoChange()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1", "a:2");
        ClusterHealthSnapshot before = cluster.Current;

        ClusterHealthSnapshot after = cluster.SetDestinations(["a:1", "a:2"]);

        Assert.Same(before, after);
        Assert.Single(_changes);
        FirstRound();
        Assert.Equal(["a:1", "a:2"], _probe.Calls);   // each probed once: kept destinations were not added again
    }

    [Fact]
    public void SetDestinations_Reordered_PublishesNewOrder()
    {
        using var cluster = Cluster(new() { Active = Active }, "a:1", "a:2");

        cluster.SetDestinations(["a:2", "a:1"]);

        Assert.Equal(["a:2", "a:1"], UsableKeys(cluster));
        Assert.Equal(2, _changes.Count);
        Assert.Equal(2, cluster.Current.Version);
    }

    [Theory]
    [InlineData(new[] { "a:1", "a:1" }, "The destination a:1 is given twice.")]
    [InlineData(new[] { "a:1", "" }, "A destination key is empty.")]
    public void SetDestinations_BadKeys_ThrowsAndKeepsCurrent(string[] keys, string message)
    {
        using var cluster = Cluster(new() { Passive = Passive }, "x:1");

        var exception = Assert.Throws<ArgumentException>(() => cluster.SetDestinations(keys));

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
        Assert.Equal(["x:1"], UsableKeys(cluster));
    }

    [Fact]
    public void Panic_EveryDestinationUnusable_UsesAllFlagsAndCountsOnce()
    {
        using var cluster = Cluster(new() { Active = Active with { UnhealthyThreshold = 1 } }, "a:1", "a:2");
        _probe.DefaultAnswer = ProbeResult.Responded(503);

        FirstRound();
        NextRounds(2);

        Assert.True(cluster.IsPanicking);
        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
        Assert.True(cluster.Current.IsUsable(0) && cluster.Current.IsUsable(1));
        Assert.Equal(1, cluster.PanicActivations);
        Assert.Equal(1, _events.Count("panic api on"));
    }

    [Fact]
    public void Panic_OneDestinationRecovers_EndsAndUsesOnlyIt()
    {
        using var cluster = Cluster(new() { Active = Active with { UnhealthyThreshold = 1, HealthyThreshold = 1 } }, "a:1", "a:2");
        _probe.DefaultAnswer = ProbeResult.Responded(503);
        FirstRound();
        Assert.True(cluster.IsPanicking);
        _probe.Answer("a:2", ProbeResult.Responded(200));

        NextRounds();

        Assert.False(cluster.IsPanicking);
        Assert.Equal(["a:2"], UsableKeys(cluster));
        Assert.False(cluster.Current.IsUsable(0));
        Assert.Equal(["panic api on", "panic api off"], _events.Lines.Where(l => l.StartsWith("panic", StringComparison.Ordinal)));
    }

    [Fact]
    public void Panic_TurnedOff_UsableSetEmpty()
    {
        using var cluster = Cluster(new() { Active = Active with { UnhealthyThreshold = 1 }, PanicMode = false }, "a:1");
        _probe.DefaultAnswer = ProbeResult.Responded(503);

        FirstRound();

        Assert.False(cluster.IsPanicking);
        Assert.Empty(cluster.Current.Usable);
        Assert.Equal(0, _events.Count("panic"));
    }

    [Fact]
    public void Panic_NoDestinations_IsNotPanic()
    {
        using var cluster = Cluster(new() { Passive = Passive });

        cluster.SetDestinations([]);

        Assert.False(cluster.IsPanicking);
        Assert.Empty(cluster.Current.Usable);
    }

    [Fact]
    public void Panic_MixOfEjectedAndUnhealthy_StillPanics()
    {
        using var cluster = Cluster(new() { Active = Active with { UnhealthyThreshold = 1 }, Passive = Passive }, "a:1", "a:2");
        _probe.Answer("a:1", ProbeResult.Responded(503));
        FirstRound();

        Report(cluster.Current.Destinations[1], RequestOutcome.ConnectFailure, 5);

        Assert.True(cluster.Current.Destinations[1].IsEjected);
        Assert.True(cluster.IsPanicking);
        Assert.Equal(2, cluster.Current.Usable.Length);
    }

    [Fact]
    public void Report_ConsecutiveFailures_EjectsThenRestoresWithTwoChanges()
    {
        using var cluster = Cluster(new() { Passive = Passive }, "a:1", "a:2");
        _changes.Clear();

        Report(cluster.Current.Destinations[0], RequestOutcome.Status5xx, 5);
        Assert.Equal(["a:2"], UsableKeys(cluster));
        _time.Advance(Passive.EjectionTime);

        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
        Assert.Equal(2, _changes.Count);
        Assert.Equal(["ejected api a:1 30s x1", "restored api a:1"], _events.Lines);
    }

    [Fact]
    public void Report_BreakerOpens_LeavesUsableSetAndReturnsHalfOpen()
    {
        using var cluster = Cluster(new() { CircuitBreaker = Breaker }, "a:1", "a:2");
        DestinationHealth first = cluster.Current.Destinations[0];

        Report(first, RequestOutcome.Reset, 10);
        Assert.Equal(CircuitState.Open, first.CircuitState);
        Assert.Equal(["a:2"], UsableKeys(cluster));
        _time.Advance(Breaker.OpenFor);

        Assert.Equal(CircuitState.HalfOpen, first.CircuitState);
        Assert.Equal(["a:1", "a:2"], UsableKeys(cluster));
        Assert.True(first.TryAcquire(out CircuitPermit trial));
        Assert.False(first.TryAcquire(out _));
        first.Report(trial, RequestOutcome.Success);
        Assert.Equal(CircuitState.Closed, first.CircuitState);
        Assert.Equal(3, _changes.Count);   // the first set, open, half-open; closing changes nothing usable
    }

    [Fact]
    public void TryAcquire_PanicWithOpenBreaker_AdmitsUntracked()
    {
        using var cluster = Cluster(new() { CircuitBreaker = Breaker }, "a:1");
        DestinationHealth only = cluster.Current.Destinations[0];
        Report(only, RequestOutcome.Reset, 10);

        Assert.True(cluster.IsPanicking);
        Assert.True(only.TryAcquire(out CircuitPermit permit));
        Assert.False(permit.IsTracked);
        only.Report(permit, RequestOutcome.Reset);
        Assert.Equal(1, only.CircuitBreaker!.TimesOpened);
    }

    [Fact]
    public void TryAcquire_OpenBreakerWithoutPanic_Refuses()
    {
        using var cluster = Cluster(new() { CircuitBreaker = Breaker }, "a:1", "a:2");
        DestinationHealth first = cluster.Current.Destinations[0];
        Report(first, RequestOutcome.Reset, 10);

        Assert.False(first.TryAcquire(out _));
    }

    [Fact]
    public void Changed_ManyThreadsReporting_EachChangeRaisedOnceAndCapHolds()
    {
        using var cluster = Cluster(new() { Passive = Passive, CircuitBreaker = Breaker with { MinimumRequests = 1_000_000 } }, "a:1", "a:2", "a:3", "a:4");
        _changes.Clear();
        DestinationHealth[] destinations = [.. cluster.Current.Destinations];

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            DestinationHealth destination = destinations[i % 4];
            if (destination.TryAcquire(out CircuitPermit permit)) destination.Report(permit, RequestOutcome.ConnectFailure);
        });

        Assert.Equal(2, cluster.OutlierDetector!.EjectedCount);
        Assert.Equal(2, _events.Count("ejected"));
        Assert.Equal(2, _changes.Count);
        Assert.Equal(2, cluster.Current.Usable.Length);
    }

    [Fact]
    public void TryAcquireAndReport_HealthyDestination_AllocateNothing()
    {
        using var cluster = Cluster(new() { Passive = Passive, CircuitBreaker = Breaker with { MinimumRequests = 1_000_000 } }, "a:1");
        DestinationHealth destination = cluster.Current.Destinations[0];
        Report(destination, RequestOutcome.Success, 1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            destination.TryAcquire(out CircuitPermit permit);
            destination.Report(permit, i % 2 == 0 ? RequestOutcome.Success : RequestOutcome.Status5xx);
            _ = destination.MayTakeTraffic;
            _ = cluster.Current.Usable;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Dispose_StopsProbingAndTimers()
    {
        var cluster = Cluster(new() { Active = Active, Passive = Passive, CircuitBreaker = Breaker }, "a:1", "a:2");
        FirstRound();
        Report(cluster.Current.Destinations[0], RequestOutcome.Reset, 10);

        cluster.Dispose();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(2, _probe.Calls.Count);
        Assert.Equal(0, _time.ArmedTimers);
        Assert.Throws<ObjectDisposedException>(() => cluster.SetDestinations(["a:1"]));
    }

    [Fact]
    public void Constructor_ActiveProbingWithoutProbe_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ClusterHealth("api", new() { Active = Active }));

        Assert.Contains("Active probing needs an IHealthProbe", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithKeysAndSentences()
    {
        var options = new ClusterHealthOptions { Passive = Passive with { MaxEjectionPercent = 120 } };

        var exception = Assert.Throws<ArgumentException>(() => new ClusterHealth("api", options));

        Assert.Contains("health.passive.max_ejection_percent: must be between 0 and 100 (it is 120).", exception.Message, StringComparison.Ordinal);
    }
}
