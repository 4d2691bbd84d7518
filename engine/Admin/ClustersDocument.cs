using System.Text.Json;
using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Health;

namespace Proxy.Engine.Admin;

/// <summary>
/// GET /admin/clusters: every cluster of the running routing snapshot — balancer, hash key, retry settings and budget,
/// panic — and every destination with its weight, drain, health, breaker, load, latency estimate and pool figures.
/// Each figure is read on its own, lock-free, so two of them may be a request apart.
/// </summary>
internal static class ClustersDocument
{
    public static byte[] Render(RoutingSnapshot snapshot) => JsonDocuments.Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("snapshot_version", snapshot.Version);
        json.WriteStartArray("clusters");
        foreach (Cluster cluster in snapshot.Clusters.Values) WriteCluster(json, cluster);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteCluster(Utf8JsonWriter json, Cluster cluster)
    {
        ClusterRuntime runtime = cluster.Runtime;
        AvailableDestinations available = runtime.Available;
        json.WriteStartObject();
        json.WriteString("name", cluster.Name);
        json.WriteString("balancer", ConfigSchema.BalancerName(cluster.Config.Balancer));
        if (runtime.HashKeySource is { } key) json.WriteString("hash_key", key.ToString());
        else json.WriteNull("hash_key");
        // Panic as the engine applies it: among the destinations not drained (see ClusterRuntime).
        json.WriteBoolean("panic", available.IsPanic);
        json.WriteNumber("panic_activations", runtime.Health.PanicActivations);
        json.WriteNumber("available_destinations", available.Count);
        WriteRetry(json, runtime.Config.Retry, runtime.Budget);

        var health = new Dictionary<string, DestinationHealth>(StringComparer.Ordinal);
        foreach (DestinationHealth destination in runtime.Health.Current.Destinations) health[destination.Key] = destination;
        json.WriteStartArray("destinations");
        foreach (Destination destination in cluster.Destinations)
        {
            WriteDestination(json, destination, runtime, health.GetValueOrDefault(destination.Address),
                Array.IndexOf(available.Destinations, destination) >= 0);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRetry(Utf8JsonWriter json, RetryOptions retry, RetryBudget budget)
    {
        json.WriteStartObject("retry");
        json.WriteNumber("attempts", retry.Attempts);
        json.WriteNumber("backoff_ms", retry.Backoff.TotalMilliseconds);
        json.WriteNumber("max_backoff_ms", retry.EffectiveMaxBackoff.TotalMilliseconds);
        json.WriteStartArray("on");
        foreach (string condition in retry.On.ToString().Split(", ", StringSplitOptions.RemoveEmptyEntries)) json.WriteStringValue(condition);
        json.WriteEndArray();
        json.WriteBoolean("retry_non_idempotent", retry.RetryNonIdempotent);
        json.WriteNumber("max_replay_body", retry.MaxReplayBody);
        json.WriteStartObject("budget");
        json.WriteNumber("percent", retry.BudgetPercent);
        json.WriteNumber("minimum", retry.BudgetMinimum);
        json.WriteNumber("retries_in_flight", budget.RetriesInFlight);
        json.WriteNumber("retries_granted", budget.RetriesGranted);
        json.WriteNumber("retries_refused", budget.RetriesRefused);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDestination(Utf8JsonWriter json, Destination destination, ClusterRuntime runtime, DestinationHealth? health, bool available)
    {
        DestinationState state = destination.State;
        json.WriteStartObject();
        json.WriteString("address", destination.Address);
        json.WriteNumber("weight", state.Weight);
        json.WriteBoolean("drained", runtime.IsDrained(destination.Address));
        // Whether new requests are balanced over it now: health, panic and drain applied.
        json.WriteBoolean("available", available);
        if (health is null)
        {
            json.WriteNull("health");         // a reload is changing the cluster's destinations right now
        }
        else
        {
            json.WriteStartObject("health");
            json.WriteString("active", health.ActiveHealth switch
            {
                ActiveHealth.Healthy => "healthy",
                ActiveHealth.Unhealthy => "unhealthy",
                _ => "unknown",
            });
            json.WriteBoolean("ejected", health.IsEjected);
            json.WriteBoolean("usable", health.MayTakeTraffic);   // health's verdict alone, panic and drain aside
            json.WriteString("circuit_breaker", health.CircuitState switch
            {
                CircuitState.Open => "open",
                CircuitState.HalfOpen => "half_open",
                _ => "closed",
            });
            json.WriteEndObject();
        }
        double latency = state.CurrentLatencyEstimate;
        if (double.IsNaN(latency)) json.WriteNull("ewma_latency_ms");    // nothing has finished yet
        else json.WriteNumber("ewma_latency_ms", Math.Round(latency * 1000, 3));
        DestinationLoadJson.Write(json, destination);
        json.WriteEndObject();
    }
}
