using Proxy.Engine.Config.Schema;
using Proxy.Health;

namespace Proxy.Engine.Config;

/// <summary>
/// The cluster sections the health library acts on: [clusters.health] (active, passive, panic_mode),
/// [clusters.circuit_breaker], [clusters.retry], and hash_key rules. Values are read into the library's own
/// option records, whose Validate() rules (timeout ≤ interval, ...) become errors at the keys they name.
/// A class of its own so that its static schemas exist before <see cref="ConfigSchema"/> uses them.
/// </summary>
internal static class ClusterHealthSchema
{
    private static readonly TableSchema<ActiveHealthOptions> ActiveHealth =
        new TableSchema<ActiveHealthOptions>("in [clusters.health] active", () => new())
            .String("path", (c, v) => c with { Path = v })
            .Duration("interval", allowZero: false, (c, v) => c with { Interval = v })
            .Duration("timeout", allowZero: false, (c, v) => c with { Timeout = v })
            .Integer("healthy_threshold", 1, 1000, (c, v) => c with { HealthyThreshold = v })
            .Integer("unhealthy_threshold", 1, 1000, (c, v) => c with { UnhealthyThreshold = v })
            .Parsed<ActiveHealthOptions, StatusCodeRanges>("expect_status", TryParseStatusRanges, (c, v) => c with { ExpectStatus = v })
            .Integer("jitter_percent", 0, ActiveHealthOptions.MaxJitterPercent, (c, v) => c with { JitterPercent = v })
            .Check((options, context) => ReportOptionErrors(options, options.Validate(), context));

    private static readonly TableSchema<PassiveHealthOptions> PassiveHealth =
        new TableSchema<PassiveHealthOptions>("in [clusters.health] passive", () => new())
            .Integer("consecutive_failures", 1, 1000, (c, v) => c with { ConsecutiveFailures = v })
            .Duration("ejection_time", allowZero: false, (c, v) => c with { EjectionTime = v })
            .Integer("max_ejection_percent", 0, 100, (c, v) => c with { MaxEjectionPercent = v })
            .Duration("max_ejection_time", allowZero: false, (c, v) => c with { MaxEjectionTime = v })
            .Check((options, context) => ReportOptionErrors(options, options.Validate(), context));

    public static readonly TableSchema<ClusterHealthOptions> Health =
        new TableSchema<ClusterHealthOptions>("in [clusters.health]", () => new())
            .Table("active", ActiveHealth, (c, v) => c with { Active = v })
            .Table("passive", PassiveHealth, (c, v) => c with { Passive = v })
            .Boolean("panic_mode", (c, v) => c with { PanicMode = v });

    public static readonly TableSchema<CircuitBreakerOptions> CircuitBreaker =
        new TableSchema<CircuitBreakerOptions>("in [clusters.circuit_breaker]", () => new())
            .Float("failure_ratio", 0, 1, (c, v) => c with { FailureRatio = v })
            .Integer("minimum_requests", 1, 1_000_000, (c, v) => c with { MinimumRequests = v })
            .Duration("window", allowZero: false, (c, v) => c with { Window = v })
            .Duration("open_for", allowZero: false, (c, v) => c with { OpenFor = v })
            .Integer("half_open_requests", 1, CircuitBreakerOptions.MaxHalfOpenRequests, (c, v) => c with { HalfOpenRequests = v })
            .Check((options, context) => ReportOptionErrors(options, options.Validate(), context));

    public static readonly TableSchema<RetryOptions> Retry =
        new TableSchema<RetryOptions>("in [clusters.retry]", () => new())
            .Integer("attempts", 0, RetryOptions.MaxAttempts, (c, v) => c with { Attempts = v })
            .Duration("backoff", allowZero: true, (c, v) => c with { Backoff = v })
            .Duration("max_backoff", allowZero: true, (c, v) => c with { MaxBackoff = v })
            .Integer("budget_percent", 0, 100, (c, v) => c with { BudgetPercent = v })
            .Integer("budget_minimum", 0, 1_000_000, (c, v) => c with { BudgetMinimum = v })
            .StringList<RetryOptions, string>("on", TryRetryCondition, "is empty; list what to retry, like [\"connect_failure\", \"503\"], or set attempts = 0",
                (c, v) => c with { On = RetryConditions.Parse(v) })
            .Size("max_replay_body", 0, 64L * 1024 * 1024, (c, v) => c with { MaxReplayBody = v })
            .Boolean("retry_non_idempotent", (c, v) => c with { RetryNonIdempotent = v })
            .Check((options, context) => ReportOptionErrors(options, options.Validate(), context));

    private static bool TryParseStatusRanges(string text, out StatusCodeRanges ranges, out string problem)
    {
        bool parsed = StatusCodeRanges.TryParse(text, out StatusCodeRanges? result, out string? error);
        ranges = result ?? StatusCodeRanges.Default;
        problem = error?.TrimEnd('.') ?? "";
        return parsed;
    }

    private static bool TryRetryCondition(string text, out string condition, out string problem)
    {
        condition = text;
        bool parsed = RetryConditions.TryParse([text], out _, out string? error);
        problem = error?.TrimEnd('.') ?? "";
        return parsed;
    }

    /// <summary>The library's own rules between keys (OptionError names the key), reported where that key is written.</summary>
    private static void ReportOptionErrors(object options, IReadOnlyList<OptionError> errors, ReadContext context)
    {
        // A value the per-key reader refused left the default in the record, so nothing is reported twice.
        foreach (OptionError error in errors)
        {
            context.Errors.Add(context.PositionOf(options, error.Key), $"`{error.Key}` {error.Message.TrimEnd('.')}");
        }
    }

    /// <summary>consistent_hash needs a key; sticky sessions take a cookie (proxy_sticky unless named); others use none.</summary>
    public static void CheckHashKey(ClusterConfig cluster, ReadContext context)
    {
        switch (cluster.Balancer)
        {
            // A hash_key that was written but refused has been reported already.
            case BalancerKind.ConsistentHash when cluster.HashKey is null && !context.WasWritten(cluster, "hash_key"):
                context.Errors.Add(context.PositionOf(cluster, "balancer"),
                    "balancer = \"consistent_hash\" needs `hash_key`: header:NAME, cookie:NAME, query:NAME, client_ip or path");
                break;
            case BalancerKind.Sticky when cluster.HashKey is { Kind: not HashKeyKind.Cookie }:
                context.Errors.Add(context.PositionOf(cluster, "hash_key"),
                    $"sticky sessions keep their pin in a cookie: `hash_key` must be cookie:NAME (or left out for \"{HashKeySource.DefaultStickyCookie.Name}\"), not {cluster.HashKey}");
                break;
            case not (BalancerKind.ConsistentHash or BalancerKind.Sticky) when cluster.HashKey is not null:
                context.Errors.Add(context.PositionOf(cluster, "hash_key"),
                    "`hash_key` is only used by balancer = \"consistent_hash\" or \"sticky\"; remove it or change the balancer");
                break;
        }
    }
}
