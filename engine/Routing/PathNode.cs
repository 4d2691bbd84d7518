namespace Proxy.Engine.Routing;

/// <summary>
/// A node of a <see cref="PathIndex"/> radix tree: the bytes on the edge into it, its children by the first byte
/// of their edge, and the ranks of the routes whose exact path or prefix ends here.
/// </summary>
internal sealed class PathNode
{
    public PathNode(byte[] label, int depth)
    {
        Label = label;
        Depth = depth;
    }

    /// <summary>The bytes on the edge from the parent (empty for the root).</summary>
    public byte[] Label { get; set; }

    /// <summary>Bytes of path from the root to the end of this node.</summary>
    public int Depth { get; set; }

    public byte[] ChildFirstBytes { get; set; } = [];

    public PathNode[] Children { get; set; } = [];

    /// <summary>Ranks, ascending, of routes whose <c>path</c> is exactly the bytes down to here.</summary>
    public int[] Exact { get; set; } = [];

    /// <summary>Ranks, ascending, of routes whose <c>path_prefix</c> is exactly the bytes down to here.</summary>
    public int[] Prefixes { get; set; } = [];

    /// <summary>The child whose edge starts with <paramref name="first"/>, or null.</summary>
    public PathNode? ChildStartingWith(byte first)
    {
        byte[] firstBytes = ChildFirstBytes;
        // Most nodes have a handful of children: a plain loop beats a vectorised search's set-up.
        if (firstBytes.Length <= 8)
        {
            for (int i = 0; i < firstBytes.Length; i++)
            {
                if (firstBytes[i] == first) return Children[i];
            }
            return null;
        }
        int index = firstBytes.AsSpan().IndexOf(first);
        return index < 0 ? null : Children[index];
    }
}
