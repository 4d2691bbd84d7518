using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// Finds the first route, in match order, that takes a request, looking only at the routes that can: the
/// bucket of the exact host (a hash table keyed by lower-case bytes, looked up with ASCII case ignored), the buckets
/// of the wildcard suffixes of the host (one lookup per dot where some suffix is that long), and the any-host
/// bucket; inside each, one walk down the path's radix tree finds the exact paths, prefixes and regexes (by their
/// literal prefix) that may take it, then any-path routes (<see cref="PathIndex"/>). Every route of the
/// configuration gets one rank per host pattern it lists, in match order (<see cref="MatchOrder"/>), and the best
/// rank that takes the request wins: the same answer as trying every route in that order, without trying every
/// route.
/// </summary>
/// <remarks>
/// Reads the request's bytes in place; allocates nothing (a path that needs normalising is normalised into a
/// stack buffer, or a pooled one above <see cref="StackPathLimit"/> bytes). Immutable and thread-safe.
/// </remarks>
internal sealed class RouteMatcher
{
    /// <summary>Paths up to this long are normalised on the stack; longer ones in a pooled buffer.</summary>
    public const int StackPathLimit = 1024;

    // A longer host is no DNS name (at most 253 bytes, plus brackets and slack): only any-host routes take it.
    private const int MaxHostLength = 260;

    private readonly Route[] _routeOfRank;
    private readonly RankedRoute[] _ranked;         // the same routes, as the search reads them
    private readonly HostTable? _exactHosts;
    private readonly HostTable? _wildcardSuffixes;     // ".example.org" for "*.example.org"
    private readonly int _wildcardMinRank;
    private readonly PathIndex? _anyHost;

    public RouteMatcher(IReadOnlyList<Route> routes, MethodTable methods)
    {
        Methods = methods;
        List<MatchOrder.Entry> entries = MatchOrder.Entries(routes);
        _routeOfRank = [.. entries.Select(entry => entry.Route)];
        _ranked = [.. _routeOfRank.Select(route => new RankedRoute(route))];

        var exact = new Dictionary<string, PathIndexBuilder>(StringComparer.Ordinal);
        var wildcard = new Dictionary<string, PathIndexBuilder>(StringComparer.Ordinal);
        PathIndexBuilder? any = null;
        _wildcardMinRank = int.MaxValue;
        for (int rank = 0; rank < entries.Count; rank++)
        {
            MatchOrder.Entry entry = entries[rank];
            PathIndexBuilder bucket;
            if (entry.Host is null)
            {
                bucket = any ??= new PathIndexBuilder();
            }
            else
            {
                Dictionary<string, PathIndexBuilder> table = entry.Host.IsWildcard ? wildcard : exact;
                if (!table.TryGetValue(entry.Host.KeyText, out bucket!)) table.Add(entry.Host.KeyText, bucket = new PathIndexBuilder());
                if (entry.Host.IsWildcard) _wildcardMinRank = Math.Min(_wildcardMinRank, rank);
            }
            bucket.Add(rank, entry.Route);
        }
        _exactHosts = exact.Count == 0 ? null : new HostTable(Freeze(exact));
        _wildcardSuffixes = wildcard.Count == 0 ? null : new HostTable(Freeze(wildcard));
        _anyHost = any?.Build();
    }

    public MethodTable Methods { get; }

    /// <summary>Routes in match order, one entry per host pattern (a route with two hosts is there twice).</summary>
    public ReadOnlySpan<Route> RoutesInMatchOrder => _routeOfRank;

    public RouteMatch Match(ulong methodBit, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, MessageHead? headers)
    {
        if (!PathNormalizer.MayNeedWork(path)) return MatchNormalized(methodBit, authority, path, query, headers);
        return NormalizeThenMatch(methodBit, authority, path, query, headers);
    }

    [SkipLocalsInit]
    private RouteMatch NormalizeThenMatch(ulong methodBit, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, MessageHead? headers)
    {
        byte[]? rented = null;
        Span<byte> buffer = path.Length <= StackPathLimit ? stackalloc byte[StackPathLimit] : (rented = ArrayPool<byte>.Shared.Rent(path.Length));
        try
        {
            return PathNormalizer.NormalizeMarked(path, buffer, out int written) switch
            {
                PathNormalization.Unchanged => MatchNormalized(methodBit, authority, path, query, headers),
                PathNormalization.Normalized => MatchNormalized(methodBit, authority, buffer[..written], query, headers),
                _ => RouteMatch.InvalidPath,
            };
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private RouteMatch MatchNormalized(ulong methodBit, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, MessageHead? headers)
    {
        var search = new RouteSearch(_ranked, methodBit, path, query, headers);
        ReadOnlySpan<byte> host = HostPattern.HostForMatching(authority);
        if (!host.IsEmpty && host.Length <= MaxHostLength)
        {
            _exactHosts?.Find(host)?.Search(ref search);
            if (_wildcardSuffixes is not null && _wildcardMinRank < search.Best) SearchWildcards(host, ref search);
        }
        _anyHost?.Search(ref search);

        if (search.Best != int.MaxValue) return RouteMatch.For(_routeOfRank[search.Best]);
        if (search.RefusedBy != 0) return RouteMatch.MethodNotAllowed(Methods.AllowValue(search.RefusedBy));
        return RouteMatch.NotFound;
    }

    // "*.example.org" is stored as ".example.org": look up each suffix of the host that starts at a dot, longest
    // first, leaving at least one byte before it (a wildcard needs one). Only the lengths some suffix in the table
    // has are tried, so a host costs a check of a byte per distinct length instead of a search for every dot.
    private void SearchWildcards(scoped ReadOnlySpan<byte> host, ref RouteSearch search)
    {
        HostTable suffixes = _wildcardSuffixes!;
        ReadOnlySpan<int> lengths = suffixes.KeyLengthsLongestFirst;
        if (lengths[^1] >= host.Length) return;      // shorter than every suffix
        foreach (int length in lengths)
        {
            if (length >= host.Length || host[^length] != (byte)'.') continue;
            suffixes.Find(host[^length..])?.Search(ref search);
            if (_wildcardMinRank >= search.Best) return;
        }
    }

    private static List<KeyValuePair<byte[], PathIndex>> Freeze(Dictionary<string, PathIndexBuilder> buckets) =>
        [.. buckets.Select(pair => new KeyValuePair<byte[], PathIndex>(Encoding.ASCII.GetBytes(pair.Key), pair.Value.Build()))];
}
