namespace Proxy.Health;

/// <summary>
/// What <see cref="CircuitBreaker.TryAcquire"/> handed out for one attempt; the engine keeps it beside the attempt and
/// gives it back with the attempt's outcome, so that only outcomes of requests the breaker let through in its current
/// state count (a slow request admitted before the breaker opened cannot decide a later half-open trial).
/// A small immutable value: copying it costs nothing, and <c>default</c> is a permit the breaker ignores.
/// </summary>
public readonly record struct CircuitPermit
{
    internal CircuitPermit(int generation, CircuitPermitKind kind)
    {
        Generation = generation;
        Kind = kind;
    }

    /// <summary>Whether this permit is one of a half-open breaker's few trial requests.</summary>
    public bool IsTrial => Kind == CircuitPermitKind.Trial;

    /// <summary>Whether the breaker will count the outcome reported with this permit (false for <c>default</c> and for panic traffic).</summary>
    public bool IsTracked => Kind != CircuitPermitKind.Untracked;

    internal int Generation { get; }

    internal CircuitPermitKind Kind { get; }
}

/// <summary>Which gate a <see cref="CircuitPermit"/> came through.</summary>
internal enum CircuitPermitKind
{
    /// <summary>Not from the breaker (no breaker, or panic mode let it through): its outcome is not counted.</summary>
    Untracked = 0,

    /// <summary>Through a closed breaker: counted in the window.</summary>
    Normal,

    /// <summary>One of a half-open breaker's trials: decides between closing and opening again.</summary>
    Trial,
}
