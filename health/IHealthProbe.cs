namespace Proxy.Health;

/// <summary>
/// Sends one active health probe: the engine's HTTP GET of <c>path</c> to a destination, on a connection of its own
/// (never one that carries client traffic, so a probe neither waits behind nor disturbs a client's request, and a
/// broken pooled connection cannot fail it). Called by <see cref="ActiveProber"/> at most once at a time per destination.
/// </summary>
public interface IHealthProbe
{
    /// <summary>
    /// Probes <paramref name="destinationKey"/> (the destination's address as configured) at <paramref name="path"/>
    /// and reports the status of the response head, or why none came. Should not throw: a thrown exception counts as a
    /// failed probe. <paramref name="cancellationToken"/> is cancelled when the probe's <c>timeout</c> elapses or
    /// probing stops; the result is then ignored, so the probe should give up and release its connection promptly.
    /// </summary>
    ValueTask<ProbeResult> ProbeAsync(string destinationKey, string path, CancellationToken cancellationToken);
}
