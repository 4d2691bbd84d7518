namespace Proxy.Health;

/// <summary>
/// <see cref="IJitterSource"/> over <see cref="Random.Shared"/>: thread-safe, allocation-free, not reproducible.
/// </summary>
public sealed class SharedJitterSource : IJitterSource
{
    private SharedJitterSource()
    {
    }

    /// <summary>The one instance.</summary>
    public static SharedJitterSource Instance { get; } = new();

    /// <inheritdoc/>
    public double NextDouble() => Random.Shared.NextDouble();
}
