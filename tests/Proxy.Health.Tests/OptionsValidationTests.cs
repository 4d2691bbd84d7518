namespace Proxy.Health.Tests;

public class OptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_HaveNoErrors()
    {
        Assert.Empty(new ActiveHealthOptions().Validate());
        Assert.Empty(new PassiveHealthOptions().Validate());
        Assert.Empty(new CircuitBreakerOptions().Validate());
        Assert.Empty(new RetryOptions().Validate());
        Assert.Empty(new ClusterHealthOptions { Active = new(), Passive = new(), CircuitBreaker = new() }.Validate());
    }

    [Fact]
    public void Validate_ActiveOutOfRange_NamesEveryKey()
    {
        var options = new ActiveHealthOptions
        {
            Path = "healthz",
            Interval = TimeSpan.Zero,
            Timeout = TimeSpan.Zero,
            HealthyThreshold = 0,
            UnhealthyThreshold = -1,
            JitterPercent = 51,
        };

        var keys = options.Validate().Select(e => e.Key).ToArray();

        Assert.Equal(["path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold", "jitter_percent"], keys);
    }

    [Fact]
    public void Validate_ActiveTimeoutLongerThanInterval_SaysWhy()
    {
        var options = new ActiveHealthOptions { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2) };

        OptionError error = Assert.Single(options.Validate());

        Assert.Equal("timeout", error.Key);
        Assert.Contains("must not be longer than interval (1000ms)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PassiveOutOfRange_NamesEveryKey()
    {
        var options = new PassiveHealthOptions
        {
            ConsecutiveFailures = 0,
            EjectionTime = TimeSpan.Zero,
            MaxEjectionPercent = 101,
            MaxEjectionTime = TimeSpan.FromSeconds(-1),
        };

        var keys = options.Validate().Select(e => e.Key).ToArray();

        Assert.Equal(["consecutive_failures", "ejection_time", "max_ejection_percent", "max_ejection_time"], keys);
    }

    [Fact]
    public void EffectiveMaxEjectionTime_Unset_IsLongerOfFiveMinutesAndEjectionTime()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), new PassiveHealthOptions().EffectiveMaxEjectionTime);
        Assert.Equal(TimeSpan.FromMinutes(10), new PassiveHealthOptions { EjectionTime = TimeSpan.FromMinutes(10) }.EffectiveMaxEjectionTime);
        Assert.Equal(TimeSpan.FromMinutes(1), new PassiveHealthOptions { MaxEjectionTime = TimeSpan.FromMinutes(1) }.EffectiveMaxEjectionTime);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Validate_FailureRatioOutsideZeroToOne_Rejected(double ratio)
    {
        OptionError error = Assert.Single(new CircuitBreakerOptions { FailureRatio = ratio }.Validate());

        Assert.Equal("failure_ratio", error.Key);
    }

    [Fact]
    public void Validate_BreakerOutOfRange_NamesEveryKey()
    {
        var options = new CircuitBreakerOptions
        {
            MinimumRequests = 0,
            Window = TimeSpan.FromMilliseconds(9),
            OpenFor = TimeSpan.Zero,
            HalfOpenRequests = 0,
        };

        var keys = options.Validate().Select(e => e.Key).ToArray();

        Assert.Equal(["minimum_requests", "window", "open_for", "half_open_requests"], keys);
    }

    [Fact]
    public void Validate_RetryOutOfRange_NamesEveryKey()
    {
        var options = new RetryOptions
        {
            Attempts = 11,
            Backoff = TimeSpan.FromMilliseconds(-1),
            MaxBackoff = TimeSpan.FromMilliseconds(-2),
            BudgetPercent = 101,
            BudgetMinimum = -1,
            MaxReplayBody = -1,
        };

        var keys = options.Validate().Select(e => e.Key).ToArray();

        Assert.Equal(["attempts", "backoff", "max_backoff", "budget_percent", "budget_minimum", "max_replay_body"], keys);
    }

    [Fact]
    public void EffectiveMaxBackoff_Unset_IsTenTimesBackoff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), new RetryOptions().EffectiveMaxBackoff);
    }

    [Fact]
    public void Validate_ClusterOptions_PrefixesKeysWithTheirSection()
    {
        var options = new ClusterHealthOptions
        {
            Active = new ActiveHealthOptions { HealthyThreshold = 0 },
            Passive = new PassiveHealthOptions { ConsecutiveFailures = 0 },
            CircuitBreaker = new CircuitBreakerOptions { OpenFor = TimeSpan.Zero },
        };

        var keys = options.Validate().Select(e => e.Key).ToArray();

        Assert.Equal(["health.active.healthy_threshold", "health.passive.consecutive_failures", "circuit_breaker.open_for"], keys);
    }

    [Fact]
    public void ToString_OptionError_IsKeyThenSentence()
    {
        Assert.Equal("window: must be at least 10ms.", new OptionError("window", "must be at least 10ms.").ToString());
    }
}
