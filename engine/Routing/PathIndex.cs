namespace Proxy.Engine.Routing;

/// <summary>
/// The routes of one host bucket, by how they match the path: a radix tree of the exact paths and prefixes (one
/// walk down the request path finds every exact path and prefix it matches), then the regex routes, then the
/// routes that take any path. Every list holds match ranks in ascending order, so a search stops at the first
/// route that takes the request. Built once per snapshot; read-only and thread-safe after.
/// </summary>
internal sealed class PathIndex
{
    private const int MaxNodesRemembered = 16;

    private readonly PathNode _root;
    private readonly int[] _regex;
    private readonly int[] _any;

    public PathIndex(PathNode root, int[] regex, int[] any, int minRank)
    {
        _root = root;
        _regex = regex;
        _any = any;
        MinRank = minRank;
    }

    /// <summary>The best (lowest) rank in the bucket: a search that already holds a better one skips the bucket.</summary>
    public int MinRank { get; }

    /// <summary>Offers every route of this bucket that may take the request to <paramref name="search"/>, best first.</summary>
    public void Search(ref RouteSearch search)
    {
        if (MinRank >= search.Best) return;
        ReadOnlySpan<byte> path = search.Path;

        // Down the tree as far as the path leads, remembering the nodes that hold prefixes: the deepest (longest)
        // is offered first, since at equal priority it ranks first and then cuts the others short.
        var remembered = new NodeStack();
        int count = 0;
        PathNode node = _root;
        int position = 0;
        while (true)
        {
            if (node.Prefixes.Length > 0)
            {
                if (count < MaxNodesRemembered) remembered[count++] = node;
                else OfferPrefixes(ref search, node, path);
            }
            if (position == path.Length)
            {
                if (node.Exact.Length > 0) search.Offer(node.Exact, segmentPrefixesRefused: false);
                break;
            }
            PathNode? next = node.ChildStartingWith(path[position]);
            if (next is null || !path[position..].StartsWith(next.Label)) break;
            position += next.Label.Length;
            node = next;
        }
        while (count > 0) OfferPrefixes(ref search, remembered[--count]!, path);

        if (_regex.Length > 0) search.OfferRegex(_regex);
        if (_any.Length > 0) search.Offer(_any, segmentPrefixesRefused: false);
    }

    private static void OfferPrefixes(ref RouteSearch search, PathNode node, ReadOnlySpan<byte> path)
    {
        // A whole-segment prefix ends where the path ends or at a '/'.
        bool onBoundary = node.Depth == path.Length || path[node.Depth] == (byte)'/';
        search.Offer(node.Prefixes, segmentPrefixesRefused: !onBoundary);
    }

    [System.Runtime.CompilerServices.InlineArray(MaxNodesRemembered)]
    private struct NodeStack
    {
        private PathNode? _element;
    }
}
