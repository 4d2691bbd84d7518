namespace Proxy.Balancers.Tests.Support;

/// <summary>A seeded source that counts its draws; safe for one thread at a time.</summary>
internal sealed class CountingRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public int Calls { get; private set; }

    public int NextInt32(int maxExclusive)
    {
        Calls++;
        return _random.Next(maxExclusive);
    }

    public long NextInt64(long maxExclusive)
    {
        Calls++;
        return _random.NextInt64(maxExclusive);
    }
}
