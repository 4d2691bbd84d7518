using Proxy.Engine.Routing;
using Proxy.Engine.Server;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Admin;

/// <summary>
/// POST /admin/clusters/{name}/destinations/{address}/drain and .../undrain: takes a destination out of rotation, or
/// puts it back. A drained destination gets no new request once the answer is sent; requests already on it finish.
/// The drain lasts until undrained, across reloads, for as long as the cluster configures the address (see
/// <see cref="ClusterRuntime.SetDrained"/>). Path segments may be percent-encoded ("[::1]:80" as "%5B%3A%3A1%5D:80").
/// </summary>
internal static class DrainEndpoint
{
    public const string Prefix = "/admin/clusters/";

    /// <summary>The answer for <paramref name="path"/> (under <see cref="Prefix"/>), or null when it is not a drain path.</summary>
    public static async Task<AdminResponse?> TryHandleAsync(KnownMethod method, string path, ProxyServer proxy, RoutingTable routing)
    {
        if (!TryParse(path, out string cluster, out string address, out bool drain)) return null;
        if (method != KnownMethod.Post) return AdminResponse.MethodNotAllowed("POST");
        // Between reloads: the runtime found here is the one that runs, and no reload is copying drains meanwhile.
        return await proxy.BetweenReloadsAsync(() => Apply(routing.Current, cluster, address, drain)).ConfigureAwait(false);
    }

    private static AdminResponse Apply(RoutingSnapshot snapshot, string clusterName, string address, bool drain)
    {
        if (!snapshot.Clusters.TryGetValue(clusterName, out Cluster? cluster))
        {
            return AdminResponse.JsonError(404, $"there is no cluster named \"{clusterName}\" in the running configuration");
        }
        Destination? destination = cluster.Runtime.Find(address);
        if (destination is null)
        {
            var known = new List<string>();
            foreach (Destination candidate in cluster.Destinations) known.Add(candidate.Address);
            return AdminResponse.JsonError(404,
                $"cluster \"{clusterName}\" has no destination \"{address}\"; its destinations are: {string.Join(", ", known)}");
        }

        bool changed = cluster.Runtime.SetDrained(address, drain);
        return AdminResponse.Json(JsonDocuments.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("cluster", clusterName);
            json.WriteString("destination", address);
            json.WriteBoolean("drained", drain);
            json.WriteBoolean("changed", changed);          // false: it already was
            json.WriteNumber("requests_in_flight", destination.State.ActiveRequests);   // finishing, when drained
            json.WriteNumber("available_destinations", cluster.Runtime.Available.Count);
            json.WriteEndObject();
        }));
    }

    /// <summary>{name}/destinations/{address}/(drain|undrain) after the prefix, each segment percent-decoded.</summary>
    private static bool TryParse(string path, out string cluster, out string address, out bool drain)
    {
        cluster = address = "";
        drain = false;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        string[] segments = path[Prefix.Length..].Split('/');
        if (segments.Length != 4 || segments[1] != "destinations" || segments[0].Length == 0 || segments[2].Length == 0) return false;
        switch (segments[3])
        {
            case "drain": drain = true; break;
            case "undrain": drain = false; break;
            default: return false;
        }
        cluster = Uri.UnescapeDataString(segments[0]);
        address = Uri.UnescapeDataString(segments[2]);
        return true;
    }
}
