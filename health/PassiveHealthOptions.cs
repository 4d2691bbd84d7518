namespace Proxy.Health;

/// <summary>
/// <c>[clusters.health] passive = { ... }</c>: outlier detection from live traffic, with the defaults of
/// config-reference.toml. A plain immutable record; <see cref="Validate"/> says what is wrong with it.
/// </summary>
public sealed record PassiveHealthOptions
{
    /// <summary>The cap on an ejection when <see cref="MaxEjectionTime"/> is not given and <see cref="EjectionTime"/> is shorter (Envoy's default).</summary>
    public static readonly TimeSpan DefaultMaxEjectionTime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>consecutive_failures</c>: failures in a row (connect failure or timeout, reset, timeouts, invalid response,
    /// 5xx; see <see cref="RequestOutcomes.IsFailure"/>) that eject a destination. A success starts the count again.
    /// </summary>
    public int ConsecutiveFailures { get; init; } = 5;

    /// <summary><c>ejection_time</c>: the first ejection's length; the n-th in a row lasts n times this.</summary>
    public TimeSpan EjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>max_ejection_percent</c> (0-100): no ejection happens while it would leave more than this share of the
    /// cluster ejected; but one destination may always be ejected when none is (as Envoy does), so that small clusters
    /// are protected too. 0 turns ejection off.
    /// </summary>
    public int MaxEjectionPercent { get; init; } = 50;

    /// <summary>
    /// <c>max_ejection_time</c>: the longest one ejection may last, however often the destination was ejected.
    /// Absent: the longer of five minutes and <see cref="EjectionTime"/>.
    /// </summary>
    public TimeSpan? MaxEjectionTime { get; init; }

    /// <summary>The cap actually applied: <see cref="MaxEjectionTime"/>, or its default.</summary>
    public TimeSpan EffectiveMaxEjectionTime =>
        MaxEjectionTime ?? (EjectionTime > DefaultMaxEjectionTime ? EjectionTime : DefaultMaxEjectionTime);

    /// <summary>Every problem with these options, each a plain sentence; empty when they can be used. Keys are relative to <c>passive</c>.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        if (ConsecutiveFailures < 1)
        {
            errors.Add(new("consecutive_failures", $"must be at least 1 (it is {ConsecutiveFailures})."));
        }

        if (EjectionTime <= TimeSpan.Zero)
        {
            errors.Add(new("ejection_time", "must be longer than zero."));
        }

        if (MaxEjectionPercent is < 0 or > 100)
        {
            errors.Add(new("max_ejection_percent", $"must be between 0 and 100 (it is {MaxEjectionPercent})."));
        }

        if (MaxEjectionTime is { } max && max < EjectionTime)
        {
            errors.Add(new("max_ejection_time", $"must not be shorter than ejection_time ({EjectionTime.TotalMilliseconds:0}ms)."));
        }

        return errors;
    }
}
