namespace Proxy.Balancers;

/// <summary>
/// Uniform random numbers for balancers. Injected so that tests can replay exact choices; production uses
/// <see cref="SharedRandomSource"/>. Implementations used by a shared balancer must be thread-safe and
/// allocation-free, because Pick calls them concurrently on the request path.
/// </summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>); <paramref name="maxExclusive"/> is at least 1.</summary>
    int NextInt32(int maxExclusive);

    /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>); <paramref name="maxExclusive"/> is at least 1.</summary>
    long NextInt64(long maxExclusive);
}
