namespace Proxy.Health;

/// <summary>A destination's verdict from active probes.</summary>
public enum ActiveHealth
{
    /// <summary>
    /// No verdict yet: fewer than <c>healthy_threshold</c> passes and fewer than <c>unhealthy_threshold</c> failures
    /// in a row since probing began. Whether an unknown destination takes traffic: see <see cref="DestinationHealth"/>.
    /// </summary>
    Unknown = 0,

    /// <summary>The last <c>healthy_threshold</c> probes passed (or more, with no <c>unhealthy_threshold</c> failures in a row since).</summary>
    Healthy,

    /// <summary>The last <c>unhealthy_threshold</c> probes failed (or more, with no <c>healthy_threshold</c> passes in a row since).</summary>
    Unhealthy,
}
