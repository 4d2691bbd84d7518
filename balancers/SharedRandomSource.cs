namespace Proxy.Balancers;

/// <summary>
/// The production <see cref="IRandomSource"/>: <see cref="Random.Shared"/>, which keeps one generator per
/// thread. Thread-safe, lock-free, allocation-free; a few nanoseconds per number. Not cryptographic.
/// </summary>
public sealed class SharedRandomSource : IRandomSource
{
    /// <summary>The one instance; it holds no state of its own.</summary>
    public static SharedRandomSource Instance { get; } = new();

    private SharedRandomSource()
    {
    }

    /// <inheritdoc/>
    public int NextInt32(int maxExclusive) => Random.Shared.Next(maxExclusive);

    /// <inheritdoc/>
    public long NextInt64(long maxExclusive) => Random.Shared.NextInt64(maxExclusive);
}
