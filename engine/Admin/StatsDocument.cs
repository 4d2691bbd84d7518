using System.Text.Json;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Engine.Server;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Admin;

/// <summary>
/// GET /admin/stats: counters, allocation per request (since start, and over the window since the previous
/// call, so that two calls bracket a load run exactly), GC counts, and per-destination pool figures.
/// </summary>
internal static class StatsDocument
{
    public static byte[] Render(ServerContext server, DateTimeOffset startedAt, Reload.ConfigStatus config)
    {
        ProxyStats stats = server.Stats;
        AllocationReading allocations = server.Allocations.Read(stats.Requests);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("uptime_seconds", Math.Round((DateTimeOffset.UtcNow - startedAt).TotalSeconds, 3));
            json.WriteStartObject("config");
            json.WriteNumber("version", config.Version);
            json.WriteString("hash", config.Hash);
            json.WriteNumber("reloads_succeeded", config.Succeeded);
            json.WriteNumber("reloads_failed", config.Failed);
            json.WriteBoolean("last_reload_failed", config.LastReload is { Succeeded: false });
            json.WriteEndObject();

            json.WriteStartObject("connections");
            json.WriteNumber("active", stats.ConnectionsActive);
            json.WriteNumber("accepted", stats.ConnectionsAccepted);
            json.WriteEndObject();

            json.WriteStartObject("requests");
            json.WriteNumber("total", stats.Requests);
            json.WriteNumber("active", stats.RequestsActive);
            json.WriteStartObject("responses");
            for (int statusClass = 1; statusClass <= 5; statusClass++)
            {
                json.WriteNumber($"{statusClass}xx", stats.ResponsesOfClass(statusClass));
            }
            json.WriteEndObject();
            json.WriteStartObject("rejected");
            foreach (RejectReason reason in Enum.GetValues<RejectReason>())
            {
                long count = stats.Rejects(reason);
                if (count > 0) json.WriteNumber(reason.ToString(), count);
            }
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("upstream");
            json.WriteNumber("connect_failures", stats.UpstreamConnectFailures);
            json.WriteNumber("timeouts", stats.UpstreamTimeouts);
            json.WriteNumber("errors", stats.UpstreamErrors);
            json.WriteNumber("stale_connection_retries", stats.StaleConnectionRetries);
            json.WriteEndObject();

            json.WriteStartObject("allocations");
            json.WriteNumber("bytes_total", allocations.TotalBytes);
            json.WriteNumber("bytes_per_request", Math.Round(allocations.BytesPerRequest, 1));
            json.WriteStartObject("since_previous_call");
            json.WriteNumber("requests", allocations.WindowRequests);
            json.WriteNumber("bytes", allocations.WindowBytes);
            json.WriteNumber("bytes_per_request", Math.Round(allocations.WindowBytesPerRequest, 1));
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("gc");
            json.WriteNumber("gen0", GC.CollectionCount(0));
            json.WriteNumber("gen1", GC.CollectionCount(1));
            json.WriteNumber("gen2", GC.CollectionCount(2));
            json.WriteNumber("heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
            json.WriteEndObject();

            WriteClusters(json, server.Routing.Current);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteClusters(Utf8JsonWriter json, RoutingSnapshot snapshot)
    {
        json.WriteStartArray("clusters");
        foreach (Cluster cluster in snapshot.Clusters.Values)
        {
            json.WriteStartObject();
            json.WriteString("name", cluster.Name);
            json.WriteStartArray("destinations");
            foreach (Destination destination in cluster.Destinations)
            {
                json.WriteStartObject();
                json.WriteString("address", destination.Address);
                json.WriteNumber("weight", destination.State.Weight);
                DestinationLoadJson.Write(json, destination);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
