using System.Text.Json;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Admin;

/// <summary>
/// A destination's load as the admin documents show it, under the same names in /admin/stats and /admin/clusters:
/// requests in flight and in total, and its connection pool (idle, active, open; opened, reused, closed since start).
/// </summary>
internal static class DestinationLoadJson
{
    public static void Write(Utf8JsonWriter json, Destination destination)
    {
        json.WriteNumber("requests_in_flight", destination.State.ActiveRequests);
        json.WriteNumber("requests_total", destination.State.TotalRequests);
        json.WriteStartObject("pool");
        json.WriteNumber("idle", destination.Pool.Idle);
        json.WriteNumber("active", destination.Pool.InUse);
        json.WriteNumber("open", destination.Pool.OpenConnections);
        json.WriteNumber("opened", destination.Pool.Opened);
        json.WriteNumber("reused", destination.Pool.Reused);
        json.WriteNumber("closed", destination.Pool.Closed);
        json.WriteEndObject();
    }
}
