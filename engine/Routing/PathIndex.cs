using System.Runtime.CompilerServices;

namespace Proxy.Engine.Routing;

/// <summary>
/// The routes of one host bucket, by how they match the path: a radix tree of the exact paths, prefixes and regex
/// literal prefixes (one walk down the request path finds every exact path and prefix it matches, and every regex
/// whose literal prefix it starts with), then the routes that take any path. Every list holds match ranks in
/// ascending order, so a search stops at the first route that takes the request. Built once per snapshot by
/// <see cref="PathIndexBuilder"/>; read-only and thread-safe after.
/// </summary>
/// <remarks>
/// The tree is flat: nodes by value in one array, edge labels in one byte array, rank lists in one int array. A walk
/// reads consecutive memory and follows no object references, and remembers nodes as ints on the stack.
/// </remarks>
internal sealed class PathIndex
{
    private const int MaxNodesRemembered = 16;

    private readonly PathNode[] _nodes;     // [0] is the root
    private readonly byte[] _labels;
    private readonly int[] _ranks;
    private readonly RankRange _any;

    public PathIndex(PathNode[] nodes, byte[] labels, int[] ranks, RankRange any, int minRank)
    {
        _nodes = nodes;
        _labels = labels;
        _ranks = ranks;
        _any = any;
        MinRank = minRank;
    }

    /// <summary>The best (lowest) rank in the bucket: a search that already holds a better one skips the bucket.</summary>
    public int MinRank { get; }

    /// <summary>Offers every route of this bucket that may take the request to <paramref name="search"/>, best first.</summary>
    /// <remarks>Inlined, so that a bucket a better route has already beaten costs a comparison, not a call.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Search(ref RouteSearch search)
    {
        if (MinRank < search.Best) Walk(ref search);
    }

    private void Walk(ref RouteSearch search)
    {
        ReadOnlySpan<byte> path = search.Path;
        ReadOnlySpan<PathNode> nodes = _nodes;
        ReadOnlySpan<byte> labels = _labels;

        // Down the tree as far as the path leads, remembering the nodes that hold prefixes or regexes: the deepest
        // (longest) is offered first, since at equal priority it ranks first and then cuts the others short.
        var remembered = new RememberedNodes();
        int count = 0;
        int index = 0;
        ref readonly PathNode node = ref nodes[0];
        while (true)
        {
            if (node.HasPrefixesOrRegexes)
            {
                if (count < MaxNodesRemembered) remembered[count++] = index;
                else OfferPrefixesAndRegexes(ref search, node);
            }
            int depth = node.Depth;
            if (depth == path.Length)
            {
                if (!node.Exact.IsEmpty) search.Offer(Ranks(node.Exact), segmentPrefixesRefused: false);
                break;
            }
            index = node.ChildStartingWith(path[depth]);
            if (index < 0) break;
            // The first byte chose the child; the rest of its edge (often nothing) must follow in the path.
            ref readonly PathNode child = ref nodes[index];
            int rest = child.Depth - depth - 1;
            if (rest > 0 && (child.Depth > path.Length || !path.Slice(depth + 1, rest).SequenceEqual(labels.Slice(child.LabelStart + 1, rest)))) break;
            node = ref child;
        }
        for (int i = count - 1; i >= 0; i--)
        {
            ref readonly PathNode held = ref nodes[remembered[i]];
            if (!held.Prefixes.IsEmpty) OfferPrefixes(ref search, held);
        }
        // Regexes after every prefix: each costs a run of the regex unless a better route has been found by then.
        for (int i = count - 1; i >= 0; i--)
        {
            ref readonly PathNode held = ref nodes[remembered[i]];
            if (!held.Regexes.IsEmpty) search.OfferRegex(Ranks(held.Regexes));
        }
        if (!_any.IsEmpty) search.Offer(Ranks(_any), segmentPrefixesRefused: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<int> Ranks(RankRange range) => _ranks.AsSpan(range.Start, range.Length);

    private void OfferPrefixes(ref RouteSearch search, in PathNode node)
    {
        // A whole-segment prefix ends where the path ends or at a '/'.
        ReadOnlySpan<byte> path = search.Path;
        bool onBoundary = node.Depth == path.Length || path[node.Depth] == (byte)'/';
        search.Offer(Ranks(node.Prefixes), segmentPrefixesRefused: !onBoundary);
    }

    // Indices of nodes, on the stack: not stackalloc, which would keep the JIT from compiling the walk in tiers with a
    // profile (a method with a loop and stackalloc is compiled fully optimised at once, without one).
    [InlineArray(MaxNodesRemembered)]
    private struct RememberedNodes
    {
        private int _element;
    }

    // Past the remembered nodes (a path through more than 16 nodes with routes): offered on the way down, which only
    // costs the early stop of the deeper nodes' better ranks; the best rank still wins.
    private void OfferPrefixesAndRegexes(ref RouteSearch search, in PathNode node)
    {
        if (!node.Prefixes.IsEmpty) OfferPrefixes(ref search, node);
        if (!node.Regexes.IsEmpty) search.OfferRegex(Ranks(node.Regexes));
    }
}
