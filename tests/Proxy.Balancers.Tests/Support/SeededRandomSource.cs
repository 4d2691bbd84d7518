namespace Proxy.Balancers.Tests.Support;

/// <summary>A reproducible random source for one thread at a time.</summary>
internal sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public int NextInt32(int maxExclusive) => _random.Next(maxExclusive);

    public long NextInt64(long maxExclusive) => _random.NextInt64(maxExclusive);
}
