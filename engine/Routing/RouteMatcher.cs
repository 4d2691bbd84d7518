using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// Finds the first route, in match order, that takes a request, looking only at the routes that can: the
/// bucket of the exact host (a hash table keyed by lower-case bytes), the buckets of each wildcard suffix of the
/// host (one lookup per dot), and the any-host bucket; inside each, the path's radix tree, then regexes, then
/// any-path routes (<see cref="PathIndex"/>). Every route of the configuration gets one rank per host pattern it
/// lists, in match order (<see cref="MatchOrder"/>), and the best rank that takes the request wins: the same
/// answer as trying every route in that order, without trying every route.
/// </summary>
/// <remarks>
/// Reads the request's bytes in place; allocates nothing (a path that needs normalising is normalised into a
/// stack buffer, or a pooled one above <see cref="StackPathLimit"/> bytes). Immutable and thread-safe.
/// </remarks>
internal sealed class RouteMatcher
{
    /// <summary>Paths up to this long are normalised on the stack; longer ones in a pooled buffer.</summary>
    public const int StackPathLimit = 1024;

    // No name longer than a DNS name (253) plus brackets and slack can be in the tables.
    private const int MaxHostLength = 260;

    private readonly Route[] _routeOfRank;
    private readonly HostTable<PathIndex>? _exactHosts;
    private readonly HostTable<PathIndex>? _wildcardSuffixes;     // ".example.org" for "*.example.org"
    private readonly int _wildcardMinRank;
    private readonly PathIndex? _anyHost;

    public RouteMatcher(IReadOnlyList<Route> routes, MethodTable methods)
    {
        Methods = methods;
        List<MatchOrder.Entry> entries = MatchOrder.Entries(routes);
        _routeOfRank = [.. entries.Select(entry => entry.Route)];

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
        _exactHosts = exact.Count == 0 ? null : new HostTable<PathIndex>(Freeze(exact));
        _wildcardSuffixes = wildcard.Count == 0 ? null : new HostTable<PathIndex>(Freeze(wildcard));
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
            return PathNormalizer.Normalize(path, buffer, out int written) switch
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

    [SkipLocalsInit]
    private RouteMatch MatchNormalized(ulong methodBit, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, MessageHead? headers)
    {
        var search = new RouteSearch(_routeOfRank, methodBit, path, query, headers);
        ReadOnlySpan<byte> host = HostPattern.HostForMatching(authority);
        if (!host.IsEmpty && host.Length <= MaxHostLength && (_exactHosts is not null || _wildcardSuffixes is not null))
        {
            Span<byte> lower = stackalloc byte[MaxHostLength];
            Ascii.ToLower(host, lower, out int length);
            lower = lower[..length];
            _exactHosts?.Find(lower)?.Search(ref search);
            if (_wildcardSuffixes is not null) SearchWildcards(lower, ref search);
        }
        _anyHost?.Search(ref search);

        if (search.Best != int.MaxValue) return RouteMatch.For(_routeOfRank[search.Best]);
        if (search.RefusedBy != 0) return RouteMatch.MethodNotAllowed(Methods.AllowValue(search.RefusedBy));
        return RouteMatch.NotFound;
    }

    // "*.example.org" is stored as ".example.org": look up the host from each of its dots, longest suffix first,
    // skipping the first character (a wildcard needs at least one).
    private void SearchWildcards(scoped ReadOnlySpan<byte> host, ref RouteSearch search)
    {
        for (int dot = host[1..].IndexOf((byte)'.') + 1; dot > 0 && _wildcardMinRank < search.Best; )
        {
            _wildcardSuffixes!.Find(host[dot..])?.Search(ref search);
            int next = host[(dot + 1)..].IndexOf((byte)'.');
            dot = next < 0 ? -1 : dot + 1 + next;
        }
    }

    private static List<KeyValuePair<byte[], PathIndex>> Freeze(Dictionary<string, PathIndexBuilder> buckets) =>
        [.. buckets.Select(pair => new KeyValuePair<byte[], PathIndex>(Encoding.ASCII.GetBytes(pair.Key), pair.Value.Build()))];
}
