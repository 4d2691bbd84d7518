using System.Diagnostics;

namespace Proxy.Balancers;

/// <summary>
/// Vose's alias method, in integers: one random number gives index i with probability weight(i) / total weight,
/// exactly, in O(1) (a multiplication where a division would be, a comparison or two, one 16-byte read), with no
/// search. "random" draws its destination from one; least_conn draws slots of its <see cref="InFlightTable"/> from one
/// and keeps a slot only if its key is the least ("rejection sampling": a proposal in proportion to weight, restricted
/// to the tied slots, is in proportion to weight among them).
/// <para>
/// N columns of height W (the total weight): column c holds index c below its threshold and its alias from there up,
/// and index i covers weight(i) × N of the N × W cells in all. A weight may be 0 (the in-flight table's padding): that
/// index is never drawn. The one random number is a cell below N × W; <see cref="Random"/> bounds it by multiplication
/// (Lemire's method), which only takes its slow path, a division, when the number's low half falls below the bound:
/// practically never while N × W is far below 2^64.
/// Built once per set, off the request path; immutable, so thread-safe; a draw allocates nothing.
/// </para>
/// </summary>
internal sealed class AliasTable
{
    private readonly Column[] _columns;
    private readonly long _height;       // W, the total weight
    private readonly long _cellCount;    // N × W, below 2^63
    private readonly ulong _reciprocal;  // floor((2^64 - 1) / W): a cell's column by multiplication, not division

    /// <summary>
    /// The table of <paramref name="weights"/> (none negative, at least one positive). O(N); allocates. Throws an
    /// <see cref="OverflowException"/> when N × W does not fit a long (tens of thousands of weights near int.MaxValue).
    /// </summary>
    public AliasTable(ReadOnlySpan<int> weights)
    {
        int count = weights.Length;
        long total = 0;
        foreach (int weight in weights)
        {
            if (weight < 0) throw new ArgumentOutOfRangeException(nameof(weights), "A weight cannot be negative.");
            total += weight;
        }
        if (total == 0) throw new ArgumentOutOfRangeException(nameof(weights), "At least one weight must be positive.");

        _columns = new Column[count];
        _height = total;
        _cellCount = checked(count * total);
        _reciprocal = ulong.MaxValue / (ulong)total;

        // Each index's cells, weight × N, are dealt into columns of height W: an index short of W fills the rest of
        // its own column with cells of an index that has more than W, which then has that much less to place.
        long[] cells = new long[count];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < count; i++)
        {
            cells[i] = (long)weights[i] * count;
            (cells[i] < total ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int under = small.Pop();
            int over = large.Pop();
            _columns[under] = new Column(cells[under], over);
            cells[over] -= total - cells[under];
            (cells[over] < total ? small : large).Push(over);
        }
        // Integer arithmetic leaves nothing over: the cells left always number W per index left, so no index is left
        // short of W, and each one left fills its own column exactly.
        Debug.Assert(small.Count == 0, "cells left below W would not add up to W per index");
        while (large.Count > 0)
        {
            int index = large.Pop();
            _columns[index] = new Column(total, index);
        }
    }

    /// <summary>How many columns (indexes) the table has.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>The height of every column: the total weight.</summary>
    public long Height => _height;

    /// <summary>How many cells there are (columns × height): the bound of the one random number a draw takes.</summary>
    public long CellCount => _cellCount;

    /// <summary>Column <paramref name="column"/>: its own index up to the threshold, the alias above it; for tests.</summary>
    internal (long Threshold, int Alias) ColumnAt(int column) => (_columns[column].Threshold, _columns[column].Alias);

    /// <summary>An index drawn with probability weight / total weight, from one number of <paramref name="random"/>.</summary>
    public int Draw(IRandomSource random)
    {
        long cell = random.NextInt64(_cellCount);
        // cell / W without a division (20-40 cycles): the high half of cell × floor((2^64 - 1) / W) is the quotient or
        // one less (it falls short of cell / W by less than cell / 2^64, under one); the remainder tells which, and a
        // conditional add fixes it.
        ulong quotient = Math.BigMul((ulong)cell, _reciprocal, out _);
        long height = cell - ((long)quotient * _height);
        int fix = height >= _height ? 1 : 0;
        int column = (int)quotient + fix;
        height -= fix * _height;
        Column drawn = _columns[column];
        return height < drawn.Threshold ? column : drawn.Alias;
    }

    private readonly record struct Column(long Threshold, int Alias);
}
