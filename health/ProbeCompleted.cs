namespace Proxy.Health;

/// <summary>
/// Called by <see cref="ActiveProber"/> when a probe of <paramref name="destinationKey"/> is over, with what it got and
/// whether that passed (<see cref="ActiveHealthOptions.ExpectStatus"/>). Called on the thread that finished the probe
/// (or ran out its timeout), never twice for one probe, never concurrently for one destination; must not block.
/// </summary>
public delegate void ProbeCompleted(string destinationKey, ProbeResult result, bool passed);
