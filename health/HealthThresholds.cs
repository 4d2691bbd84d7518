namespace Proxy.Health;

/// <summary>
/// Rise and fall of active health checking: how many consecutive passing probes make a destination healthy
/// (<paramref name="Healthy"/>) and how many consecutive failing ones make it unhealthy (<paramref name="Unhealthy"/>).
/// Both at least 1.
/// </summary>
/// <param name="Healthy">Consecutive passes that make a destination healthy (<c>healthy_threshold</c>).</param>
/// <param name="Unhealthy">Consecutive failures that make a destination unhealthy (<c>unhealthy_threshold</c>).</param>
public readonly record struct HealthThresholds(int Healthy, int Unhealthy);
