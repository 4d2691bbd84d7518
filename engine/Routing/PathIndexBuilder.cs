namespace Proxy.Engine.Routing;

/// <summary>Collects the routes of one host bucket, in rank order, and builds its <see cref="PathIndex"/>.</summary>
internal sealed class PathIndexBuilder
{
    private readonly Builder _root = new([]);
    private readonly List<int> _any = [];
    private int _minRank = int.MaxValue;

    /// <summary>Adds the route at <paramref name="rank"/>; ranks must come in ascending order.</summary>
    public void Add(int rank, Route route)
    {
        _minRank = Math.Min(_minRank, rank);
        switch (route.PathKind)
        {
            case PathMatchKind.Exact:
                Insert(route.PathBytes).Exact.Add(rank);
                break;
            case PathMatchKind.Prefix:
                Insert(route.PathBytes).Prefixes.Add(rank);
                break;
            case PathMatchKind.Regex:
                // Every path the regex can match starts with its literal prefix (often empty: the root).
                Insert(route.RegexLiteralPrefix).Regexes.Add(rank);
                break;
            default:
                _any.Add(rank);
                break;
        }
    }

    /// <summary>
    /// The flat tree, nodes in breadth-first order, so that each node's children are consecutive and sorted by the
    /// first byte of their edge, as <see cref="PathNode.ChildStartingWith"/> counts them.
    /// </summary>
    public PathIndex Build()
    {
        var order = new List<Builder> { _root };
        var nodes = new List<PathNode>();
        var labels = new List<byte>();
        var ranks = new List<int>();
        for (int i = 0; i < order.Count; i++)
        {
            Builder builder = order[i];
            builder.Children.Sort((a, b) => a.Label[0].CompareTo(b.Label[0]));
            int firstChild = order.Count;
            ulong below64 = 0, from64 = 0;
            foreach (Builder child in builder.Children)
            {
                child.Depth = builder.Depth + child.Label.Length;
                byte first = child.Label[0];
                if (first >= 128) throw new ArgumentException("Paths and regex literal prefixes are ASCII.");
                if (first < 64) below64 |= 1UL << first;
                else from64 |= 1UL << (first - 64);
                order.Add(child);
            }
            nodes.Add(new PathNode
            {
                LabelStart = labels.Count,
                Depth = builder.Depth,
                FirstChild = firstChild,
                FirstBytesBelow64 = below64,
                FirstBytesFrom64 = from64,
                Exact = Append(ranks, builder.Exact),
                Prefixes = Append(ranks, builder.Prefixes),
                Regexes = Append(ranks, builder.Regexes),
            });
            labels.AddRange(builder.Label);
        }
        RankRange any = Append(ranks, _any);
        return new PathIndex([.. nodes], [.. labels], [.. ranks], any, _minRank);
    }

    private static RankRange Append(List<int> ranks, List<int> list)
    {
        var range = new RankRange(ranks.Count, list.Count);
        ranks.AddRange(list);
        return range;
    }

    private Builder Insert(byte[] key)
    {
        Builder node = _root;
        int position = 0;
        while (position < key.Length)
        {
            ReadOnlySpan<byte> rest = key.AsSpan(position);
            Builder? child = null;
            foreach (Builder candidate in node.Children)
            {
                if (candidate.Label[0] == rest[0]) child = candidate;
            }
            if (child is null)
            {
                var leaf = new Builder(rest.ToArray());
                node.Children.Add(leaf);
                return leaf;
            }
            int common = rest.CommonPrefixLength(child.Label);
            if (common < child.Label.Length)
            {
                // Split the edge: a new node for the shared bytes, the old child below it with the rest.
                var middle = new Builder(child.Label[..common]);
                child.Label = child.Label[common..];
                middle.Children.Add(child);
                node.Children[node.Children.IndexOf(child)] = middle;
                child = middle;
            }
            node = child;
            position += common;
        }
        return node;
    }

    private sealed class Builder(byte[] label)
    {
        public byte[] Label { get; set; } = label;
        public int Depth { get; set; }
        public List<Builder> Children { get; } = [];
        public List<int> Exact { get; } = [];
        public List<int> Prefixes { get; } = [];
        public List<int> Regexes { get; } = [];
    }
}
