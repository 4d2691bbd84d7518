using Proxy.Balancers;

namespace Proxy.Engine.Tests.AccessLog;

/// <summary>A repeatable <see cref="IRandomSource"/> for one test thread.</summary>
internal sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public int NextInt32(int maxExclusive) => _random.Next(maxExclusive);

    public long NextInt64(long maxExclusive) => _random.NextInt64(maxExclusive);
}
