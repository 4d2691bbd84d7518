namespace Proxy.Health;

/// <summary>
/// The randomness health needs: jitter for probe intervals and retry backoff. Injected so tests choose the values;
/// <see cref="SharedJitterSource"/> is the production one. Implementations must be thread-safe and allocation-free.
/// </summary>
public interface IJitterSource
{
    /// <summary>A number in [0, 1), uniformly distributed.</summary>
    double NextDouble();
}
