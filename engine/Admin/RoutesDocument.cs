using System.Text.Json;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Admin;

/// <summary>
/// GET /admin/routes: every route of the running routing snapshot with its match keys and actions as configured
/// (keys left out of the file are null or empty) and where it sends requests: one cluster, a split, a redirect or a
/// direct response. Listed by priority, then file order; among routes of equal priority, the matcher also tries more
/// specific hosts and paths first (README, "Routing order").
/// </summary>
internal static class RoutesDocument
{
    public static byte[] Render(RoutingSnapshot snapshot) => JsonDocuments.Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("snapshot_version", snapshot.Version);
        json.WriteStartArray("routes");
        foreach (Route route in snapshot.Routes.ToArray().OrderByDescending(r => r.Priority).ThenBy(r => r.FileOrder)) WriteRoute(json, route);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteRoute(Utf8JsonWriter json, Route route)
    {
        RouteConfig config = route.Config;
        json.WriteStartObject();
        json.WriteString("name", route.Name);
        WriteStrings(json, "hosts", config.Hosts);             // empty: any host
        WriteStringOrNull(json, "path", config.Path);
        WriteStringOrNull(json, "path_prefix", config.PathPrefix);
        json.WriteBoolean("path_prefix_segments", config.PathPrefixSegments);
        WriteStringOrNull(json, "path_regex", config.PathRegex);
        WriteStrings(json, "methods", config.Methods);         // empty: any method
        WriteFieldMatches(json, "headers", config.Headers);
        WriteFieldMatches(json, "query", config.Query);
        json.WriteNumber("priority", route.Priority);
        WriteStringOrNull(json, "cluster", route.ClusterOrNull?.Name);

        json.WriteStartArray("split");
        foreach (SplitTargetConfig target in config.Split)
        {
            json.WriteStartObject();
            json.WriteString("cluster", target.Cluster);
            json.WriteNumber("weight", target.Weight);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteStringOrNull(json, "split_key", config.SplitKey?.ToString());

        WriteStringOrNull(json, "strip_prefix", config.StripPrefix);
        WriteStringOrNull(json, "add_prefix", config.AddPrefix);
        WriteStringOrNull(json, "upstream_host", config.UpstreamHost);
        WriteStrings(json, "set_headers", [.. config.SetHeaders.Select(h => h.Name)]);
        WriteStrings(json, "remove_headers", config.RemoveHeaders);
        WriteStrings(json, "response_set_headers", [.. config.ResponseSetHeaders.Select(h => h.Name)]);
        WriteStrings(json, "response_remove_headers", config.ResponseRemoveHeaders);

        if (config.Redirect is { } redirect)
        {
            json.WriteStartObject("redirect");
            json.WriteString("to", redirect.To);
            json.WriteNumber("status", redirect.Status);
            json.WriteEndObject();
        }
        else json.WriteNull("redirect");
        if (config.Respond is { } respond)
        {
            json.WriteStartObject("respond");
            json.WriteNumber("status", respond.Status);
            json.WriteNumber("body_bytes", System.Text.Encoding.UTF8.GetByteCount(respond.Body));
            json.WriteEndObject();
        }
        else json.WriteNull("respond");
        if (config.Mirror is { } mirror)
        {
            json.WriteStartObject("mirror");
            json.WriteString("cluster", mirror.Cluster);
            json.WriteNumber("percent", mirror.Percent);
            json.WriteNumber("max_body", mirror.MaxBody);
            json.WriteEndObject();
        }
        else json.WriteNull("mirror");
        json.WriteEndObject();
    }

    /// <summary>Header and query conditions: the name and how it is matched (the value itself may be a secret).</summary>
    private static void WriteFieldMatches(Utf8JsonWriter json, string name, IReadOnlyList<FieldMatchConfig> matches)
    {
        json.WriteStartArray(name);
        foreach (FieldMatchConfig match in matches)
        {
            json.WriteStartObject();
            json.WriteString("name", match.Name);
            json.WriteString("match", match.Kind.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
