namespace Proxy.Balancers.Tests.Support;

/// <summary>A seeded source that counts its draws by the bound asked for, so a test can tell which way a pick went.</summary>
internal sealed class BoundRecordingRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<long, int> _draws = [];

    /// <summary>How many numbers were drawn below <paramref name="maxExclusive"/>.</summary>
    public int DrawsBelow(long maxExclusive) => _draws.GetValueOrDefault(maxExclusive);

    public int NextInt32(int maxExclusive) => (int)NextInt64(maxExclusive);

    public long NextInt64(long maxExclusive)
    {
        _draws[maxExclusive] = DrawsBelow(maxExclusive) + 1;
        return _random.NextInt64(maxExclusive);
    }
}
