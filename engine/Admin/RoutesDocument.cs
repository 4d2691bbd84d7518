using System.Text.Json;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Admin;

/// <summary>
/// GET /admin/routes: every route of the running routing snapshot, in match order (the first that matches a request
/// takes it), with its match keys as configured and the cluster it sends to.
/// </summary>
internal static class RoutesDocument
{
    public static byte[] Render(RoutingSnapshot snapshot) => JsonDocuments.Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("snapshot_version", snapshot.Version);
        json.WriteStartArray("routes");
        foreach (Route route in snapshot.Routes)
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteStartArray("hosts");             // empty: any host
            foreach (string host in route.Config.Hosts) json.WriteStringValue(host);
            json.WriteEndArray();
            WriteStringOrNull(json, "path_prefix", route.Config.PathPrefix);   // null: any path
            json.WriteNumber("priority", route.Priority);
            json.WriteString("cluster", route.Cluster.Name);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
