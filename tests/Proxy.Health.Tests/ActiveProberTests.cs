using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class ActiveProberTests
{
    private static readonly ActiveHealthOptions Options = new()
    {
        Path = "/ready",
        Interval = TimeSpan.FromSeconds(5),
        Timeout = TimeSpan.FromSeconds(1),
        JitterPercent = 0,
        ExpectStatus = StatusCodeRanges.Parse("200-299"),
    };

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedHealthProbe _probe = new();
    private readonly List<string> _results = [];

    private ActiveProber Prober(ActiveHealthOptions? options = null, IJitterSource? jitter = null) =>
        new(options ?? Options, _probe, (key, result, passed) => _results.Add($"{key} {result} {(passed ? "pass" : "fail")}"), _time, jitter ?? new FixedJitterSource(0.5));

    [Fact]
    public void Add_NoJitter_ProbesAtOnceThenEveryInterval()
    {
        using var prober = Prober();
        prober.Add("a:1");

        _time.Advance(TimeSpan.Zero);
        Assert.Equal(1, _probe.CallsTo("a:1"));
        _time.Advance(Options.Interval - TimeSpan.FromTicks(1));
        Assert.Equal(1, _probe.CallsTo("a:1"));
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(2, _probe.CallsTo("a:1"));
        Assert.Equal(["a:1 status 200 pass", "a:1 status 200 pass"], _results);
    }

    [Fact]
    public void Add_WithJitter_FirstProbeWaitsRandomShareOfJitter()
    {
        using var prober = Prober(Options with { JitterPercent = 10 }, new FixedJitterSource(0.5));
        prober.Add("a:1");

        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(0, _probe.CallsTo("a:1"));
        _time.Advance(TimeSpan.FromMilliseconds(1));   // 5 s x 10% x 0.5

        Assert.Equal(1, _probe.CallsTo("a:1"));
    }

    [Theory]
    [InlineData(0.0, 4500)]
    [InlineData(0.5, 5000)]
    [InlineData(0.9999, 5500)]
    public void NextProbe_WithJitter_IntervalStretchedOrShrunkUpToJitterPercent(double random, int expectedMilliseconds)
    {
        using var prober = Prober(Options with { JitterPercent = 10 }, new FixedJitterSource(0.0, random));
        prober.Add("a:1");
        _time.Advance(TimeSpan.Zero);   // first probe at once (random 0.0)

        _time.Advance(TimeSpan.FromMilliseconds(expectedMilliseconds - 1));
        Assert.Equal(1, _probe.CallsTo("a:1"));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, _probe.CallsTo("a:1"));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(204, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    [InlineData(503, false)]
    public void Probe_Status_PassesOnlyWithinExpectStatus(int status, bool passes)
    {
        using var prober = Prober();
        _probe.Answer("a:1", ProbeResult.Responded(status));
        prober.Add("a:1");

        _time.Advance(TimeSpan.Zero);

        Assert.Equal([$"a:1 status {status} {(passes ? "pass" : "fail")}"], _results);
    }

    [Fact]
    public void Probe_ConnectFailure_Fails()
    {
        using var prober = Prober();
        _probe.Answer("a:1", ProbeResult.Failed(RequestOutcome.ConnectFailure));
        prober.Add("a:1");

        _time.Advance(TimeSpan.Zero);

        Assert.Equal(["a:1 connect_failure fail"], _results);
    }

    [Fact]
    public void Probe_NoAnswerWithinTimeout_FailsAndCancelsTheProbe()
    {
        using var prober = Prober();
        _probe.Hang("a:1");
        prober.Add("a:1");
        _time.Advance(TimeSpan.Zero);
        CancellationToken token = _probe.LastHangingToken("a:1");

        _time.Advance(Options.Timeout - TimeSpan.FromTicks(1));
        Assert.Empty(_results);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(["a:1 response_header_timeout fail"], _results);
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Probe_AnswerAfterTimeout_IsIgnored()
    {
        using var prober = Prober();
        _probe.Hang("a:1");
        prober.Add("a:1");
        _time.Advance(Options.Timeout);

        _probe.CompleteHanging("a:1", ProbeResult.Responded(200));

        Assert.Equal(["a:1 response_header_timeout fail"], _results);
    }

    [Fact]
    public void Probe_AsynchronousAnswerBeforeTimeout_CountsAndDisarmsTimeout()
    {
        using var prober = Prober();
        _probe.Hang("a:1");
        prober.Add("a:1");
        _time.Advance(TimeSpan.FromMilliseconds(500));

        _probe.CompleteHanging("a:1", ProbeResult.Responded(200));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["a:1 status 200 pass"], _results);
    }

    [Fact]
    public void NextProbe_AfterSlowProbe_IntervalCountsFromItsEnd()
    {
        using var prober = Prober();
        _probe.Hang("a:1");
        prober.Add("a:1");
        _time.Advance(TimeSpan.FromMilliseconds(800));
        _probe.Answer("a:1", ProbeResult.Responded(200));
        _probe.CompleteHanging("a:1", ProbeResult.Responded(200));

        _time.Advance(Options.Interval - TimeSpan.FromTicks(1));
        Assert.Equal(1, _probe.CallsTo("a:1"));
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(2, _probe.CallsTo("a:1"));
    }

    [Fact]
    public void Probe_ImplementationThrows_CountsAsFailureAndKeepsProbing()
    {
        using var prober = new ActiveProber(Options, new ThrowingProbe(), (key, result, passed) => _results.Add($"{key} {result} {passed}"), _time);
        prober.Add("a:1");

        _time.Advance(Options.Interval);

        Assert.Equal(["a:1 invalid_response False", "a:1 invalid_response False"], _results);
    }

    [Fact]
    public void Remove_ProbeInFlight_CancelsItAndStopsProbing()
    {
        using var prober = Prober();
        _probe.Hang("a:1");
        prober.Add("a:1");
        _time.Advance(TimeSpan.Zero);
        CancellationToken token = _probe.LastHangingToken("a:1");

        Assert.True(prober.Remove("a:1"));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(1, _probe.CallsTo("a:1"));
        Assert.Empty(_results);
        Assert.Equal(0, _time.ArmedTimers);
        Assert.False(prober.Remove("a:1"));
    }

    [Fact]
    public void Add_SameKeyTwice_ProbesItOnce()
    {
        using var prober = Prober();

        Assert.True(prober.Add("a:1"));
        Assert.False(prober.Add("a:1"));
        _time.Advance(TimeSpan.Zero);

        Assert.Equal(1, _probe.CallsTo("a:1"));
        Assert.Equal(1, prober.Count);
    }

    [Fact]
    public void Probe_SeveralDestinations_EachOnItsOwnSchedule()
    {
        using var prober = Prober();
        prober.Add("a:1");
        _time.Advance(TimeSpan.FromSeconds(2));
        prober.Add("a:2");

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(["a:1", "a:2", "a:1"], _probe.Calls);
    }

    [Fact]
    public void Dispose_StopsEveryDestination()
    {
        var prober = Prober();
        prober.Add("a:1");
        prober.Add("a:2");

        prober.Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(_probe.Calls);
        Assert.Throws<ObjectDisposedException>(() => prober.Add("a:3"));
    }

    [Fact]
    public void Probe_SendsConfiguredPath()
    {
        var paths = new List<string>();
        using var prober = new ActiveProber(Options, new PathRecordingProbe(paths), (_, _, _) => { }, _time);
        prober.Add("a:1");

        _time.Advance(TimeSpan.Zero);

        Assert.Equal(["/ready"], paths);
    }

    private sealed class ThrowingProbe : IHealthProbe
    {
        public ValueTask<ProbeResult> ProbeAsync(string destinationKey, string path, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken probe");
    }

    private sealed class PathRecordingProbe(List<string> paths) : IHealthProbe
    {
        public ValueTask<ProbeResult> ProbeAsync(string destinationKey, string path, CancellationToken cancellationToken)
        {
            paths.Add(path);
            return ValueTask.FromResult(ProbeResult.Responded(200));
        }
    }
}
