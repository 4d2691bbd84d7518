using System.Numerics;
using System.Runtime.CompilerServices;

namespace Proxy.Engine.Routing;

/// <summary>
/// A node of a <see cref="PathIndex"/> radix tree, kept by value in the index's one array of nodes: the edge into it
/// (bytes of the index's label array), its children (consecutive in the node array, ordered by the first byte of
/// their edge, found through a 128-bit set of those first bytes) and the ranks of the routes whose exact path,
/// prefix, or regex literal prefix ends here.
/// </summary>
/// <remarks>
/// A set of first bytes plus a population count finds a child in a few instructions, whatever the number of
/// children, where a search of a list of first bytes costs a loop or a vectorised search's set-up on every level.
/// Keys are ASCII (paths and literal prefixes from the configuration), so 128 bits hold every first byte.
/// </remarks>
internal readonly struct PathNode
{
    /// <summary>Where the edge into this node starts in the index's labels; it is <c>Depth</c> minus the parent's depth long.</summary>
    public int LabelStart { get; init; }

    /// <summary>Bytes of path from the root to the end of this node.</summary>
    public int Depth { get; init; }

    /// <summary>Index of the child whose edge starts with the lowest byte; the other children follow it.</summary>
    public int FirstChild { get; init; }

    /// <summary>Bit b set: a child's edge starts with byte b (0-63).</summary>
    public ulong FirstBytesBelow64 { get; init; }

    /// <summary>Bit b set: a child's edge starts with byte 64 + b (64-127).</summary>
    public ulong FirstBytesFrom64 { get; init; }

    /// <summary>Routes whose <c>path</c> is exactly the bytes down to here.</summary>
    public RankRange Exact { get; init; }

    /// <summary>Routes whose <c>path_prefix</c> is exactly the bytes down to here.</summary>
    public RankRange Prefixes { get; init; }

    /// <summary>Routes whose <c>path_regex</c> has exactly the bytes down to here as its literal prefix (see <see cref="RegexPrefix"/>).</summary>
    public RankRange Regexes { get; init; }

    /// <summary>Prefix or regex routes end here: a search remembers the node, to offer them after its walk.</summary>
    public bool HasPrefixesOrRegexes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Prefixes.Length | Regexes.Length) != 0;
    }

    /// <summary>The index of the child whose edge starts with <paramref name="first"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ChildStartingWith(byte first)
    {
        ulong set;
        int before;
        if (first < 64)
        {
            set = FirstBytesBelow64;
            before = 0;
        }
        else if (first < 128)
        {
            set = FirstBytesFrom64;
            before = BitOperations.PopCount(FirstBytesBelow64);
        }
        else
        {
            return -1;
        }
        ulong bit = 1UL << first;    // the shift count is taken modulo 64
        return (set & bit) == 0 ? -1 : FirstChild + before + BitOperations.PopCount(set & (bit - 1));
    }
}
