namespace Proxy.Balancers;

/// <summary>
/// Vose's alias method, in integers, over the slots of an <see cref="InFlightTable"/>: one random number gives slot s
/// with probability weight(s) / total weight, exactly, in O(1) (a multiplication, a comparison, one 16-byte read).
/// least_conn draws from it and keeps the slot only if its key is the least ("rejection sampling"): a proposal in
/// proportion to weight, restricted to the tied slots, is in proportion to weight among them, so the draw is as exact
/// as the walk over the column sums, and costs O(1) per try instead of a walk whose branches mispredict.
/// <para>
/// N columns (one per slot, padding included: its weight is 0, so it is never drawn) of height H = W × m (W the total
/// weight): column c holds slot c below <c>Threshold</c> and <c>Alias</c> from there up. Of the N × H cells, slot s then
/// covers weight(s) × N × m. The scale m brings N × H just under a power of two (2^62 unless told otherwise), because
/// a random number below a bound is drawn by taking as many bits as the bound needs and trying again if the result is
/// not below it (as <see cref="Random"/> does): N × W = 196,096 at 256 destinations of weights 1-5 needs 18 bits and
/// would be retried a quarter of the time, a branch that mispredicts; just under 2^62, practically never.
/// Built once per table, off the request path; immutable, so thread-safe; a draw allocates nothing.
/// </para>
/// </summary>
internal sealed class SlotAliasTable
{
    /// <summary>The number of cells a table aims just under: 2^62, so that bounded draws are practically never retried.</summary>
    public const long DefaultCellTarget = 1L << 62;

    private readonly Column[] _columns;
    private readonly long _height;       // H = W × m
    private readonly long _cellCount;    // N × H, at most the target (or N × W when that is more: 2^45 at most)
    private readonly ulong _reciprocal;  // floor((2^64 - 1) / H): a cell's column by multiplication, not division

    /// <summary>
    /// The table of <paramref name="weights"/> (per slot, 0 for padding; at least one positive, summing below 2^31),
    /// scaled to at most <paramref name="cellTarget"/> cells (below 2^63), or not scaled when N × W is already that
    /// many or more. O(N); allocates.
    /// </summary>
    public SlotAliasTable(ReadOnlySpan<int> weights, long cellTarget = DefaultCellTarget)
    {
        int count = weights.Length;
        long total = 0;
        foreach (int weight in weights) total += weight;
        if (total <= 0 || total > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(weights), "The weights must sum to between 1 and int.MaxValue.");

        long scale = Math.Max(1, cellTarget / (count * total));
        _columns = new Column[count];
        _height = total * scale;
        _cellCount = checked(count * _height);
        _reciprocal = ulong.MaxValue / (ulong)_height;

        // Each slot's cells, weight × N × m, are dealt into columns of height H: a slot short of H fills the rest of
        // its own column with cells of a slot that has more than H, which then has that much less to place.
        long[] cells = new long[count];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int slot = 0; slot < count; slot++)
        {
            cells[slot] = weights[slot] * scale * count;
            (cells[slot] < _height ? small : large).Push(slot);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int under = small.Pop();
            int over = large.Pop();
            _columns[under] = new Column(cells[under], over);
            cells[over] -= _height - cells[under];
            (cells[over] < _height ? small : large).Push(over);
        }
        // Integer arithmetic leaves nothing over: whatever remains fills its own column exactly.
        while (large.Count > 0) SetFull(large.Pop());
        while (small.Count > 0) SetFull(small.Pop());

        void SetFull(int slot) => _columns[slot] = new Column(_height, slot);
    }

    /// <summary>How many columns (slots) the table has.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>The height of every column: the total weight times the scale.</summary>
    public long Height => _height;

    /// <summary>How many cells there are (columns × height): the bound of the one random number a draw takes.</summary>
    public long CellCount => _cellCount;

    /// <summary>Column <paramref name="column"/>: its own slot up to the threshold, the alias slot above it; for tests.</summary>
    internal (long Threshold, int Alias) ColumnAt(int column) => (_columns[column].Threshold, _columns[column].Alias);

    /// <summary>A slot drawn with probability weight / total weight, from one number of <paramref name="random"/>.</summary>
    public int Draw(IRandomSource random)
    {
        long cell = random.NextInt64(_cellCount);
        // cell / H without a division (20-40 cycles): the high half of cell × floor((2^64 - 1) / H) is the quotient or
        // one less, because cell is below 2^63; the remainder tells which, and a conditional add fixes it.
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
