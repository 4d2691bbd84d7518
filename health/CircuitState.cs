namespace Proxy.Health;

/// <summary>Where a destination's <see cref="CircuitBreaker"/> stands.</summary>
public enum CircuitState
{
    /// <summary>Traffic flows; outcomes are counted in the window.</summary>
    Closed = 0,

    /// <summary>Too much of the window failed: every request is refused until <c>open_for</c> has passed.</summary>
    Open = 1,

    /// <summary><c>open_for</c> has passed: a few trial requests decide between closing and opening again.</summary>
    HalfOpen = 2,
}
