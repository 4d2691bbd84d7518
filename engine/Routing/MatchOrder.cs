namespace Proxy.Engine.Routing;

/// <summary>
/// The documented order in which routes are tried. For a route with several hosts, the host pattern that matched
/// counts, so each (route, host pattern) pair is ordered on its own:
/// <list type="number">
/// <item>higher <c>priority</c> first;</item>
/// <item>then the host: an exact name, then a wildcard (the longer suffix first), then any host;</item>
/// <item>then the path: an exact <c>path</c>, then <c>path_prefix</c> (the longer first), then <c>path_regex</c>,
/// then no path condition;</item>
/// <item>then the order in the file.</item>
/// </list>
/// </summary>
internal static class MatchOrder
{
    /// <summary>Every (route, host pattern) pair, sorted: the index of an entry is its rank.</summary>
    public static List<Entry> Entries(IReadOnlyList<Route> routes)
    {
        var entries = new List<Entry>();
        foreach (Route route in routes)
        {
            if (route.Hosts.Length == 0) entries.Add(new Entry(route, null));
            foreach (HostPattern host in route.Hosts) entries.Add(new Entry(route, host));
        }
        entries.Sort(Compare);      // List.Sort is not stable, so file order is part of the key
        return entries;
    }

    public static int Compare(Entry a, Entry b)
    {
        int c = b.Route.Priority.CompareTo(a.Route.Priority);
        if (c == 0) c = HostSpecificity(b.Host).CompareTo(HostSpecificity(a.Host));
        if (c == 0) c = b.Route.PathKind.CompareTo(a.Route.PathKind);
        if (c == 0 && a.Route.PathKind == PathMatchKind.Prefix) c = b.Route.PathBytes.Length.CompareTo(a.Route.PathBytes.Length);
        if (c == 0) c = a.Route.FileOrder.CompareTo(b.Route.FileOrder);
        return c;
    }

    // Exact above every wildcard; a wildcard by its suffix length; any host last.
    private static long HostSpecificity(HostPattern? host) =>
        host is null ? 0 : host.IsWildcard ? host.Length : int.MaxValue;

    /// <summary>One route under one of its host patterns (null: the route takes any host).</summary>
    public readonly record struct Entry(Route Route, HostPattern? Host);
}
