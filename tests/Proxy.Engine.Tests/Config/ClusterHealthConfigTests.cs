using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Config;

/// <summary>Balancers, hash_key, [clusters.health], [clusters.circuit_breaker] and [clusters.retry].</summary>
public sealed class ClusterHealthConfigTests
{
    [Theory]
    [InlineData("round_robin", BalancerKind.RoundRobin)]
    [InlineData("weighted_round_robin", BalancerKind.WeightedRoundRobin)]
    [InlineData("random", BalancerKind.Random)]
    [InlineData("least_conn", BalancerKind.LeastConn)]
    [InlineData("p2c", BalancerKind.PowerOfTwoChoices)]
    [InlineData("peak_ewma", BalancerKind.PeakEwma)]
    [InlineData("sticky", BalancerKind.Sticky)]
    public void LoadText_EveryBalancerName_Loads(string name, BalancerKind expected)
    {
        ClusterConfig cluster = LoadCluster($"balancer = \"{name}\"");

        Assert.Equal(expected, cluster.Balancer);
    }

    [Theory]
    [InlineData("header:X-User", HashKeyKind.Header, "x-user")]
    [InlineData("cookie:session", HashKeyKind.Cookie, "session")]
    [InlineData("query:user_id", HashKeyKind.Query, "user_id")]
    [InlineData("client_ip", HashKeyKind.ClientIp, "")]
    [InlineData("path", HashKeyKind.Path, "")]
    public void LoadText_HashKey_IsParsed(string text, HashKeyKind kind, string name)
    {
        ClusterConfig cluster = LoadCluster($"balancer = \"consistent_hash\"\nhash_key = \"{text}\"");

        Assert.Equal(new HashKeySource(kind, name), cluster.HashKey);
    }

    [Theory]
    [InlineData("header:", "`hash_key` = \"header:\" needs a name after \"header:\" made of letters, digits and -_.!#$%&'*+^`|~")]
    [InlineData("host", "`hash_key` = \"host\" is not one of: header:NAME, cookie:NAME, query:NAME, client_ip, path")]
    public void LoadText_BadHashKey_SaysWhatWorks(string text, string message)
    {
        AssertSingleError(LoadWithListener($"""
            [[clusters]]
            name = "c"
            balancer = "consistent_hash"
            hash_key = "{text}"
            destinations = [{"{"} address = "10.0.0.1:80" {"}"}]
            """), 4, 12, message);
    }

    [Fact]
    public void LoadText_ConsistentHashWithoutKey_IsRefused()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            balancer = "consistent_hash"
            destinations = [{ address = "10.0.0.1:80" }]
            """), 3, 12, "balancer = \"consistent_hash\" needs `hash_key`: header:NAME, cookie:NAME, query:NAME, client_ip or path");
    }

    [Fact]
    public void LoadText_StickyWithHeaderKey_IsRefused_StickyWithoutKeyUsesItsCookie()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            balancer = "sticky"
            hash_key = "header:x-user"
            destinations = [{ address = "10.0.0.1:80" }]
            """), 4, 12, "sticky sessions keep their pin in a cookie: `hash_key` must be cookie:NAME (or left out for \"proxy_sticky\"), not header:x-user");
        Assert.Null(LoadCluster("balancer = \"sticky\"").HashKey);
    }

    [Fact]
    public void LoadText_HashKeyWithRoundRobin_IsRefused()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            hash_key = "client_ip"
            destinations = [{ address = "10.0.0.1:80" }]
            """), 3, 12, "`hash_key` is only used by balancer = \"consistent_hash\" or \"sticky\"; remove it or change the balancer");
    }

    [Fact]
    public void LoadText_ProbeTimeoutLongerThanInterval_IsReportedAtTheTimeout()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            destinations = [{ address = "10.0.0.1:80" }]

            [clusters.health]
            active = { path = "/up", interval = "1s", timeout = "2s" }
            """), 6, 53, "`timeout` must not be longer than interval (1000ms); a probe would still be running when the next is due");
    }

    [Fact]
    public void LoadText_BadExpectStatus_SaysWhy()
    {
        ConfigLoadResult result = LoadWithListener("""
            [[clusters]]
            name = "c"
            destinations = [{ address = "10.0.0.1:80" }]

            [clusters.health]
            active = { expect_status = "200-99" }
            """);

        ConfigError error = Assert.Single(result.Errors);
        Assert.Equal(6, error.Line);
        Assert.StartsWith("`expect_status` = \"200-99\" ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_FailureRatioOutOfRange_AndUnknownRetryCondition_AreBothReported()
    {
        ConfigLoadResult result = LoadWithListener("""
            [[clusters]]
            name = "c"
            destinations = [{ address = "10.0.0.1:80" }]

            [clusters.circuit_breaker]
            failure_ratio = 1.5

            [clusters.retry]
            on = ["connect_failure", "sometimes"]
            """);

        Assert.Equal([6, 9], result.Errors.Select(e => e.Line));
        Assert.Equal("`failure_ratio` must be between 0 and 1, not 1.5", result.Errors[0].Message);
        Assert.StartsWith("`on` entry \"sometimes\" ", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_NoRetrySection_RetriesOnlyFailedConnectsOnce()
    {
        ClusterConfig cluster = LoadCluster("");

        Assert.Equal(1, cluster.Retry.Attempts);
        Assert.Equal("connect_failure", cluster.Retry.On.ToString());
        Assert.Null(cluster.Health.Active);
        Assert.Null(cluster.Health.Passive);
        Assert.Null(cluster.Health.CircuitBreaker);
        Assert.True(cluster.Health.PanicMode);
    }

    [Fact]
    public void LoadText_HealthAndRetrySections_AreRead()
    {
        ClusterConfig cluster = LoadCluster("""

            [clusters.health]
            active = { path = "/ready", interval = "2s", timeout = "500ms", healthy_threshold = 1, unhealthy_threshold = 2, expect_status = "200,204", jitter_percent = 0 }
            passive = { consecutive_failures = 3, ejection_time = "10s", max_ejection_percent = 100, max_ejection_time = "1m" }
            panic_mode = false

            [clusters.circuit_breaker]
            failure_ratio = 0.25
            minimum_requests = 4
            window = "5s"
            open_for = "2s"
            half_open_requests = 2

            [clusters.retry]
            attempts = 3
            backoff = "10ms"
            max_backoff = "200ms"
            budget_percent = 10
            budget_minimum = 1
            on = ["reset", "503"]
            max_replay_body = "16KiB"
            retry_non_idempotent = true
            """);

        Assert.Equal("/ready", cluster.Health.Active!.Path);
        Assert.Equal(TimeSpan.FromMilliseconds(500), cluster.Health.Active.Timeout);
        Assert.Equal(0, cluster.Health.Active.JitterPercent);
        Assert.Equal(TimeSpan.FromMinutes(1), cluster.Health.Passive!.MaxEjectionTime);
        Assert.False(cluster.Health.PanicMode);
        Assert.Equal(0.25, cluster.Health.CircuitBreaker!.FailureRatio);
        Assert.Equal(2, cluster.Health.CircuitBreaker.HalfOpenRequests);
        Assert.Equal(3, cluster.Retry.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), cluster.Retry.MaxBackoff);
        Assert.Equal(16 * 1024, cluster.Retry.MaxReplayBody);
        Assert.True(cluster.Retry.RetryNonIdempotent);
    }

    private static ClusterConfig LoadCluster(string keys)
    {
        ConfigLoadResult result = LoadWithListener($"""
            [[clusters]]
            name = "c"
            destinations = [{"{"} address = "10.0.0.1:80" {"}"}]
            {keys}
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return Assert.Single(result.Config!.Clusters);
    }
}
