namespace Proxy.Health;

/// <summary>
/// <c>[clusters.health] active = { ... }</c>: what the operator wrote for active probing, with the defaults of
/// config-reference.toml. A plain immutable record; <see cref="Validate"/> says what is wrong with it.
/// </summary>
public sealed record ActiveHealthOptions
{
    /// <summary>Largest <see cref="JitterPercent"/> accepted: beyond half the interval, probes stop being periodic.</summary>
    public const int MaxJitterPercent = 50;

    /// <summary><c>path</c>: the path the engine sends its GET to; starts with '/'.</summary>
    public string Path { get; init; } = "/healthz";

    /// <summary><c>interval</c>: time from the end of one probe of a destination to the start of the next, before jitter.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>timeout</c>: a probe with no response head by then has failed. At most <see cref="Interval"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>healthy_threshold</c>: consecutive passing probes that make a destination healthy (rise).</summary>
    public int HealthyThreshold { get; init; } = 2;

    /// <summary><c>unhealthy_threshold</c>: consecutive failing probes that make a destination unhealthy (fall).</summary>
    public int UnhealthyThreshold { get; init; } = 3;

    /// <summary><c>expect_status</c>: statuses that pass, "200-399" by default.</summary>
    public StatusCodeRanges ExpectStatus { get; init; } = StatusCodeRanges.Default;

    /// <summary>
    /// <c>jitter_percent</c> (0-50, default 10): each interval is stretched or shrunk by a random share up to this
    /// percentage, and the first probe of a destination waits a random share of it, so the probes of many proxies and
    /// many destinations do not fall into step (HAProxy's <c>spread-checks</c>).
    /// </summary>
    public int JitterPercent { get; init; } = 10;

    /// <summary>The rise/fall thresholds as one value.</summary>
    public HealthThresholds Thresholds => new(HealthyThreshold, UnhealthyThreshold);

    /// <summary>Every problem with these options, each a plain sentence; empty when they can be used. Keys are relative to <c>active</c>.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        if (string.IsNullOrEmpty(Path) || Path[0] != '/')
        {
            errors.Add(new("path", $"must start with '/' (it is \"{Path}\")."));
        }

        if (Interval <= TimeSpan.Zero)
        {
            errors.Add(new("interval", "must be longer than zero."));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add(new("timeout", "must be longer than zero."));
        }
        else if (Timeout > Interval && Interval > TimeSpan.Zero)
        {
            errors.Add(new("timeout", $"must not be longer than interval ({Interval.TotalMilliseconds:0}ms); a probe would still be running when the next is due."));
        }

        if (HealthyThreshold < 1)
        {
            errors.Add(new("healthy_threshold", $"must be at least 1 (it is {HealthyThreshold})."));
        }

        if (UnhealthyThreshold < 1)
        {
            errors.Add(new("unhealthy_threshold", $"must be at least 1 (it is {UnhealthyThreshold})."));
        }

        if (ExpectStatus is null)
        {
            errors.Add(new("expect_status", "must be given, such as \"200-399\"."));
        }

        if (JitterPercent is < 0 or > MaxJitterPercent)
        {
            errors.Add(new("jitter_percent", $"must be between 0 and {MaxJitterPercent} (it is {JitterPercent})."));
        }

        return errors;
    }
}
