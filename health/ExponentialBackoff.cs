namespace Proxy.Health;

/// <summary>
/// Exponential backoff with full jitter: retry n waits a uniformly random time in
/// [0, min(cap, base x 2^(n-1))). Full jitter spreads the retries of many clients that failed together the most evenly
/// (the AWS architecture blog's comparison of jitter kinds), at the price of sometimes retrying at once. Pure functions:
/// thread-safe, allocation-free.
/// </summary>
public static class ExponentialBackoff
{
    // 2^30 x any sensible base is far beyond any sensible cap; stopping there keeps the arithmetic finite.
    private const int MaxDoublings = 30;

    /// <summary>The upper bound of retry <paramref name="retryNumber"/>'s wait (1 for the first retry): min(cap, base x 2^(n-1)).</summary>
    public static TimeSpan Ceiling(TimeSpan baseDelay, TimeSpan cap, int retryNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);
        double ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(retryNumber - 1, MaxDoublings));
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait of retry <paramref name="retryNumber"/> (1 for the first retry), <paramref name="random"/> in [0, 1) choosing within its ceiling.</summary>
    public static TimeSpan Delay(TimeSpan baseDelay, TimeSpan cap, int retryNumber, double random)
    {
        if (random is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(random), random, "Must be in [0, 1).");
        return TimeSpan.FromTicks((long)(Ceiling(baseDelay, cap, retryNumber).Ticks * random));
    }
}
