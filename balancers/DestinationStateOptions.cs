namespace Proxy.Balancers;

/// <summary>
/// How a <see cref="DestinationState"/> keeps its latency estimate and which sticky-session id it has.
/// A plain immutable record; read once, when the state is created.
/// </summary>
public sealed record DestinationStateOptions
{
    /// <summary>The defaults: system clock, 10 s latency decay, sticky id derived from the address.</summary>
    public static DestinationStateOptions Default { get; } = new();

    /// <summary>
    /// The clock whose timestamps measure request durations and date latency samples; must be the same clock
    /// the balancers of the cluster read (<see cref="BalancerOptions.TimeProvider"/>). Default: the system clock,
    /// whose timestamps are <see cref="System.Diagnostics.Stopwatch"/> ticks.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The time constant τ of the latency EWMA: a faster sample arriving Δ after the previous one takes the
    /// weight 1 − e^(−Δ/τ), and while nothing is in flight the estimate read by balancers shrinks by e^(−Δ/τ).
    /// Default 10 s.
    /// </summary>
    public TimeSpan LatencyDecayTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The value the proxy puts in the sticky-session cookie for this destination, or null to derive an opaque
    /// one from the address (16 hex digits of its SHA-256, stable across restarts and across proxies).
    /// At most <see cref="DestinationState.MaxStickyIdLength"/> characters, each a letter, digit, '-', '.', '_' or '~'.
    /// </summary>
    public string? StickyId { get; init; }
}
