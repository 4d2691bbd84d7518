using Proxy.Balancers;

namespace Proxy.Engine.Routing;

/// <summary>
/// A route's <c>mirror</c>: which cluster gets copies, of which share of the requests, up to which body size.
/// The copy must never affect the main response: the forwarder sends it on its own, drops its response, and gives
/// up on it (rather than wait or buffer more) when it cannot keep up. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class Mirror
{
    private const int Million = 1_000_000;

    private readonly int _perMillion;

    public Mirror(Cluster cluster, double percent, long maxBody)
    {
        Cluster = cluster;
        _perMillion = (int)Math.Round(Math.Clamp(percent, 0, 100) * (Million / 100));
        MaxBody = maxBody;
    }

    public Cluster Cluster { get; }

    /// <summary>Requests with a larger body are not copied (the copy's body is held in memory until sent).</summary>
    public long MaxBody { get; }

    /// <summary>Whether this request is among the share copied: one draw, in millionths.</summary>
    public bool ShouldCopy(IRandomSource random) => _perMillion >= Million || random.NextInt32(Million) < _perMillion;

    /// <summary>Whether a body of <paramref name="contentLength"/> bytes (-1: unknown yet, chunked) may be copied; a chunked one is checked again as it grows.</summary>
    public bool BodyFits(long contentLength) => contentLength <= MaxBody;
}
