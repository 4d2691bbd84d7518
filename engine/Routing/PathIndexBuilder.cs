namespace Proxy.Engine.Routing;

/// <summary>Collects the routes of one host bucket, in rank order, and builds its <see cref="PathIndex"/>.</summary>
internal sealed class PathIndexBuilder
{
    private readonly Builder _root = new([]);
    private readonly List<int> _regex = [];
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
                _regex.Add(rank);
                break;
            default:
                _any.Add(rank);
                break;
        }
    }

    public PathIndex Build() => new(Freeze(_root, 0), [.. _regex], [.. _any], _minRank);

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

    private static PathNode Freeze(Builder builder, int depth)
    {
        depth += builder.Label.Length;
        builder.Children.Sort((a, b) => a.Label[0].CompareTo(b.Label[0]));
        var node = new PathNode(builder.Label, depth)
        {
            Exact = [.. builder.Exact],
            Prefixes = [.. builder.Prefixes],
            ChildFirstBytes = [.. builder.Children.Select(child => child.Label[0])],
        };
        node.Children = [.. builder.Children.Select(child => Freeze(child, depth))];
        return node;
    }

    private sealed class Builder(byte[] label)
    {
        public byte[] Label { get; set; } = label;
        public List<Builder> Children { get; } = [];
        public List<int> Exact { get; } = [];
        public List<int> Prefixes { get; } = [];
    }
}
