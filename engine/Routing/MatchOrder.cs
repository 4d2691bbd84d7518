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
        // The keys are computed once, not per comparison: a reload of 10,000 routes sorts ~150,000 times.
        var keys = new SortKey[entries.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = SortKey.Of(entries[i], i);
        Array.Sort(keys);     // not stable, so file order is part of the key
        var sorted = new List<Entry>(keys.Length);
        foreach (SortKey key in keys) sorted.Add(entries[key.Index]);
        return sorted;
    }

    // Exact above every wildcard; a wildcard by its suffix length; any host last.
    private static long HostSpecificity(HostPattern? host) =>
        host is null ? 0 : host.IsWildcard ? host.Length : int.MaxValue;

    /// <summary>An entry's place in the order, each part negated where higher comes first, so that smaller sorts first.</summary>
    private readonly record struct SortKey(long Priority, long Host, int Path, int PrefixLength, int FileOrder, int Index) : IComparable<SortKey>
    {
        public static SortKey Of(Entry entry, int index)
        {
            Route route = entry.Route;
            int prefixLength = route.PathKind == PathMatchKind.Prefix ? route.PathBytes.Length : 0;
            return new SortKey(-(long)route.Priority, -HostSpecificity(entry.Host), -(int)route.PathKind, -prefixLength, route.FileOrder, index);
        }

        public int CompareTo(SortKey other)
        {
            int c = Priority.CompareTo(other.Priority);
            if (c == 0) c = Host.CompareTo(other.Host);
            if (c == 0) c = Path.CompareTo(other.Path);
            if (c == 0) c = PrefixLength.CompareTo(other.PrefixLength);
            if (c == 0) c = FileOrder.CompareTo(other.FileOrder);
            return c == 0 ? Index.CompareTo(other.Index) : c;
        }
    }

    /// <summary>One route under one of its host patterns (null: the route takes any host).</summary>
    public readonly record struct Entry(Route Route, HostPattern? Host);
}
