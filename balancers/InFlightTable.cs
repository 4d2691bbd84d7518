using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Proxy.Balancers;

/// <summary>
/// least_conn's index over one available set: every destination's in-flight requests relative to its weight, one int
/// per destination, contiguous, so that a pick finds the least loaded with vector instructions (eight destinations per
/// instruction) instead of visiting N objects. The destinations keep it current themselves: while a destination holds
/// a seat in this table, its <see cref="DestinationState.OnRequestStart"/> and
/// <see cref="DestinationState.OnRequestEnd(long, long)"/> copy the new count into the seat (see
/// <see cref="Seat.Publish"/>). The count itself stays in <see cref="DestinationState"/>, so it survives reloads and
/// tables; a table is only a mirror of it.
/// <para>
/// Key of destination i: ActiveRequests × (L / Weight), with L the least common multiple of the set's weights. Keys
/// then order exactly as ActiveRequests / Weight does, and equal ratios have equal keys, so the minimum and its ties
/// are exact. A key that would not fit an int is stored as <see cref="Saturated"/>; a pick whose minimum is saturated
/// returns -1, and the caller scans the destinations instead, so exactness never depends on the numbers being small.
/// </para>
/// <para>
/// Layout: <see cref="Columns"/> columns of R rows (R = N / 32 rounded up), destination i in row i mod R of column
/// i / R, so each column holds a run of consecutive destinations:
/// <code>
///            column 0    column 1     ...  column 31
///   row 0    d[0]        d[R]              d[31R]       ← keys[0 .. 31]: four vectors
///   row 1    d[1]        d[R + 1]          d[31R + 1]   ← keys[32 .. 63]
///   ...
/// </code>
/// The tie pass adds up each column's tied weight in vector lanes for free; a walk then picks a column from those 32
/// sums and walks only that column's R rows. Laid end to end, columns then rows, the ties are in index order, as the
/// scan has them, so a walk picks the same destination from the table as from the scan. When the ties hold much of
/// the weight, a pick skips the tie pass and the walk: an <see cref="AliasTable"/> over the slots proposes a slot by
/// weight in O(1), kept if it is tied (see <see cref="TryPick"/>).
/// </para>
/// <para>
/// A destination has one seat at a time: the table that adopted it last (<see cref="EnsureAdopted"/>). When another
/// table takes one of this table's destinations, this table counts a departure and is no longer adopted; its next
/// <see cref="EnsureAdopted"/> takes its destinations back. That happens when two sets over the same destinations are
/// used alternately (briefly, while the engine swaps its available array; or two balancers over one set of states),
/// and costs O(N) interlocked operations per switch.
/// </para>
/// Thread-safe and lock-free; a pick allocates nothing.
/// </summary>
internal sealed class InFlightTable
{
    /// <summary>Sets larger than this are not indexed: least_conn scans them.</summary>
    public const int MaxDestinations = 16_384;

    /// <summary>The key of a destination whose load does not fit an int, and of the padding after the last destination.</summary>
    public const int Saturated = int.MaxValue;

    /// <summary>Keys per row: four 256-bit vectors of ints.</summary>
    public const int Columns = 32;

    /// <summary>
    /// Ties holding at least 1 / this of the total weight are drawn from the alias table: each try then succeeds with
    /// probability at least 1 / this. Below that the walk over the column sums is cheaper: measured (perf/RESULTS.md,
    /// 2026-11-24, third session) at 256 destinations with ties holding 28% of the weight, tries from 1/4 up took ~90 ns
    /// a pick where the walk takes ~74 (a try is a random number and a read, and the loop's exit mispredicts); with all
    /// tied, ~31-38 ns against ~75.
    /// </summary>
    public const int AliasShareDivisor = 2;

    /// <summary>Alias draws tried before falling back to the walk; a bound, so a pick never loops on a moving key.</summary>
    public const int AliasTries = 4;

    private static readonly InFlightTable Unsupported = new();

    private readonly DestinationState[] _members;
    private readonly Seat[] _seats;
    private readonly CacheLineAlignedInts _keys;        // rows × Columns; Saturated in the padding
    private readonly CacheLineAlignedInts _tieWeights;  // the weights, in the same layout; 0 in the padding
    private readonly int _rows;
    private readonly int _maxWeight;
    private readonly AliasTable? _alias;          // over the slots, by weight: draws ties by rejection
    private readonly int _aliasFromTiedWeight;    // the tied weight from which picks try the alias table first
    private bool _drawFromAlias;                  // whether the last walk found ties that heavy; see TryPick
    private int _departures;             // destinations another table has taken since this one was built
    private int _adoptedThrough = -1;    // _departures when the last adoption started: adopted while the two agree

    private InFlightTable()
    {
        _members = [];
        _seats = [];
    }

    private InFlightTable(DestinationState[] members, int[] weights, long leastCommonMultiple)
    {
        _members = members;
        _rows = (members.Length + Columns - 1) / Columns;
        _keys = new CacheLineAlignedInts(_rows * Columns);
        _tieWeights = new CacheLineAlignedInts(_rows * Columns);
        _seats = new Seat[members.Length];
        _keys.AsSpan().Fill(Saturated); // until adopted; nothing picks from a table before that
        for (int i = 0; i < members.Length; i++)
        {
            int slot = ((i % _rows) * Columns) + (i / _rows);
            // L / weight always divides exactly; an L beyond int makes every busy destination saturate, which is exact too.
            int multiplier = leastCommonMultiple <= int.MaxValue ? (int)(leastCommonMultiple / weights[i]) : int.MaxValue;
            _seats[i] = new Seat(this, slot, multiplier);
            _tieWeights[slot] = weights[i];
            _maxWeight = Math.Max(_maxWeight, weights[i]);
        }
        _alias = new AliasTable(_tieWeights.AsSpan());
        long totalWeight = 0;
        foreach (int weight in weights) totalWeight += weight;
        _aliasFromTiedWeight = (int)((totalWeight + AliasShareDivisor - 1) / AliasShareDivisor);
    }

    /// <summary>Whether <see cref="TryPick"/> can be used; false for sets this table does not index (see <see cref="Build"/>).</summary>
    public bool CanPick => _seats.Length != 0;

    /// <summary>Whether every destination of the set holds its seat here, so that the keys are current.</summary>
    public bool IsAdopted => Volatile.Read(ref _adoptedThrough) == Volatile.Read(ref _departures);

    /// <summary>
    /// A table for <paramref name="members"/> (a private copy of an available set, at least two destinations), not yet
    /// adopted. Sets it cannot index exactly get a table whose <see cref="CanPick"/> is false: without 256-bit vector
    /// hardware, above <see cref="MaxDestinations"/>, with a destination listed twice, or with weights summing past an int.
    /// O(N); allocates; off the steady-state path.
    /// </summary>
    public static InFlightTable Build(DestinationState[] members)
    {
        if (!Vector256.IsHardwareAccelerated || members.Length > MaxDestinations) return Unsupported;

        var distinct = new HashSet<DestinationState>(members.Length, ReferenceEqualityComparer.Instance);
        int[] weights = new int[members.Length];
        long totalWeight = 0;
        long leastCommonMultiple = 1;
        for (int i = 0; i < members.Length; i++)
        {
            // One destination twice would need two seats, and it can only keep one current.
            if (!distinct.Add(members[i])) return Unsupported;
            weights[i] = members[i].Weight;
            totalWeight += weights[i];
            if (leastCommonMultiple <= int.MaxValue)
            {
                leastCommonMultiple = leastCommonMultiple / GreatestCommonDivisor(leastCommonMultiple, weights[i]) * weights[i];
            }
        }
        // Tied weights are summed in int lanes.
        if (totalWeight > int.MaxValue) return Unsupported;
        return new InFlightTable(members, weights, leastCommonMultiple);
    }

    /// <summary>
    /// Gives every destination of the set its seat here (again) unless all still hold it, copying their current counts.
    /// O(N) interlocked operations when anything moved; two reads otherwise. Thread-safe: concurrent calls each finish
    /// with every destination seated here, unless another table takes one meanwhile.
    /// </summary>
    public void EnsureAdopted()
    {
        if (IsAdopted) return;
        int departures = Volatile.Read(ref _departures);
        for (int i = 0; i < _members.Length; i++)
        {
            Seat seat = _seats[i];
            DestinationState member = _members[i];
            if (member.InFlightSeat == seat) continue;
            // The exchange comes before the departure count, and the count is read above before any seat is checked:
            // a departure this loop might miss is counted after that read, so the table stays not adopted.
            Seat? previous = member.TakeInFlightSeat(seat);
            if (previous is not null && previous.Table != this) previous.Table.NoteDeparture();
            seat.Publish(member);
        }
        Volatile.Write(ref _adoptedThrough, departures);
    }

    /// <summary>
    /// The index of a destination with the fewest in-flight requests relative to its weight, ties drawn at random in
    /// proportion to weight; no random number when one destination is least and was at the table's previous walk.
    /// -1 when the table cannot answer exactly (the least key is saturated, or the keys moved during the pick): the
    /// caller then scans.
    /// <para>
    /// A vectorised pass finds the least key. If the ties held at least 1 / <see cref="AliasShareDivisor"/> of the weight
    /// at the last walk, up to <see cref="AliasTries"/> slots are drawn from the alias table, and the first whose key
    /// is the least is taken. Otherwise, or when every try misses, a second pass sums the tied weight per column, and
    /// one number below it is walked through the column sums and one column's R rows, ties laid end to end in index
    /// order (as <see cref="LeastRequests"/> does when it scans, so the same number picks the same destination).
    /// </para>
    /// Either way each tie's chance is exactly its weight over the tied weight: a try picks a tie in proportion to
    /// weight, a try that misses leaves the same choice to the next try or the walk, and whether tries are made depends
    /// only on earlier picks, not on this one's numbers. Keys are read unsynchronised: a count that moves meanwhile can
    /// only make the pick slightly stale, as any scan of live counters is, and a drawn slot is taken only if its key,
    /// read after the draw, is the least the pass found.
    /// </summary>
    public int TryPick(IRandomSource random)
    {
        int least = LeastKey(in _keys);
        if (least == Saturated) return -1;
        if (_drawFromAlias)
        {
            int drawn = DrawTie(least, random);
            if (drawn >= 0) return drawn;
        }

        ColumnSums sums = default;
        int tiedWeight = SumTiesPerColumn(least, ref sums);
        if (tiedWeight == 0) return -1;  // the least key moved away between the passes
        if (tiedWeight <= _maxWeight)
        {
            // Perhaps a single tie (cheaper to find out here than to count ties in the pass): it is if the first weighs
            // all there is, since every weight is at least 1.
            int first = FindTie(least, ref sums, 0);
            if (first < 0 || _tieWeights[SlotOf(first)] == tiedWeight)
            {
                NoteTies(large: false);
                return first;
            }
        }
        NoteTies(large: tiedWeight >= _aliasFromTiedWeight);
        return FindTie(least, ref sums, random.NextInt64(tiedWeight));
    }

    /// <summary>The key stored for the destination at <paramref name="index"/>; for tests.</summary>
    internal int KeyAt(int index) => Volatile.Read(ref _keys[SlotOf(index)]);

    /// <summary>The alias table over the slots; for tests.</summary>
    internal AliasTable? Alias => _alias;

    /// <summary>Where the destination at <paramref name="index"/> sits in the keys (column-major, see the class).</summary>
    internal int SlotOf(int index) => ((index % _rows) * Columns) + (index / _rows);

    private int IndexOfSlot(int slot) => ((slot % Columns) * _rows) + (slot / Columns);

    private int FindTie(int least, ref ColumnSums sums, long target)
    {
        int column = sums.ColumnOf(ref target);
        return FindInColumn(least, column, target);
    }

    private void NoteDeparture() => Interlocked.Increment(ref _departures);

    // Unsynchronised: a stale flag only costs a pick a few tries or a second pass, never exactness (see TryPick). Written
    // only when it changes, so that picks on other cores do not keep taking the cache line from each other.
    private void NoteTies(bool large)
    {
        if (_drawFromAlias != large) _drawFromAlias = large;
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static int LeastKey(in CacheLineAlignedInts keys)
    {
        // A row is four vectors; four running minimums, so that the loads, not a chain of min instructions, set the pace.
        ref int row = ref keys.First;
        ref int end = ref Unsafe.Add(ref row, keys.Length);
        Vector256<int> first = Vector256.LoadUnsafe(ref row);
        Vector256<int> second = Vector256.LoadUnsafe(ref row, 8);
        Vector256<int> third = Vector256.LoadUnsafe(ref row, 16);
        Vector256<int> fourth = Vector256.LoadUnsafe(ref row, 24);
        for (row = ref Unsafe.Add(ref row, Columns); Unsafe.IsAddressLessThan(ref row, ref end); row = ref Unsafe.Add(ref row, Columns))
        {
            first = Vector256.Min(first, Vector256.LoadUnsafe(ref row));
            second = Vector256.Min(second, Vector256.LoadUnsafe(ref row, 8));
            third = Vector256.Min(third, Vector256.LoadUnsafe(ref row, 16));
            fourth = Vector256.Min(fourth, Vector256.LoadUnsafe(ref row, 24));
        }
        Vector256<int> least = Vector256.Min(Vector256.Min(first, second), Vector256.Min(third, fourth));
        Vector128<int> half = Vector128.Min(least.GetLower(), least.GetUpper());
        half = Vector128.Min(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.Min(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        return half.ToScalar();
    }

    // The tied weight of each column (the weights of the destinations whose key is least), and their total.
    private int SumTiesPerColumn(int least, ref ColumnSums sums)
    {
        ref int row = ref _keys.First;
        ref int end = ref Unsafe.Add(ref row, _keys.Length);
        ref int weights = ref _tieWeights.First;
        Vector256<int> target = Vector256.Create(least);
        Vector256<int> first = Vector256<int>.Zero, second = first, third = first, fourth = first;
        for (; Unsafe.IsAddressLessThan(ref row, ref end); row = ref Unsafe.Add(ref row, Columns), weights = ref Unsafe.Add(ref weights, Columns))
        {
            // All ones where the key is least, so and-ed with the weights it keeps those of the ties.
            Vector256<int> tied = Vector256.Equals(Vector256.LoadUnsafe(ref row), target);
            first += tied & Vector256.LoadUnsafe(ref weights);
            tied = Vector256.Equals(Vector256.LoadUnsafe(ref row, 8), target);
            second += tied & Vector256.LoadUnsafe(ref weights, 8);
            tied = Vector256.Equals(Vector256.LoadUnsafe(ref row, 16), target);
            third += tied & Vector256.LoadUnsafe(ref weights, 16);
            tied = Vector256.Equals(Vector256.LoadUnsafe(ref row, 24), target);
            fourth += tied & Vector256.LoadUnsafe(ref weights, 24);
        }
        sums.Columns[0] = first;
        sums.Columns[1] = second;
        sums.Columns[2] = third;
        sums.Columns[3] = fourth;
        sums.First = Vector256.Sum(first);
        sums.Second = Vector256.Sum(second);
        sums.Third = Vector256.Sum(third);
        return sums.First + sums.Second + sums.Third + Vector256.Sum(fourth);
    }

    // A tie drawn from the alias table (a slot by weight, kept if its key is least), as an index; -1 if every try missed.
    // Not inlined, so that TryPick's own code, which picks with one least or few ties run, stays as it was.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int DrawTie(int least, IRandomSource random)
    {
        AliasTable alias = _alias!;
        for (int attempt = 0; attempt < AliasTries; attempt++)
        {
            int slot = alias.Draw(random);
            // The key as it is now, against the least of the pass: a key that moved since is judged by its new value,
            // so a stale slot is never taken; padding is never drawn (weight 0), so the slot is always a destination.
            if (Volatile.Read(ref _keys[slot]) == least) return IndexOfSlot(slot);
        }
        return -1;
    }

    // The tie in column on which target (below the column's tied weight, if the keys have not moved) falls.
    private int FindInColumn(int least, int column, long target)
    {
        ref int keys = ref _keys.First;
        ref int weights = ref _tieWeights.First;
        for (int row = 0, slot = column; row < _rows; row++, slot += Columns)
        {
            // Bit arithmetic rather than a comparison, which the JIT would turn into a branch on whether the key ties:
            // data a predictor cannot learn. d | -d is negative exactly when d is not zero.
            int difference = Unsafe.Add(ref keys, slot) ^ least;
            target -= Unsafe.Add(ref weights, slot) & ~((difference | -difference) >> 31);
            if (target < 0) return (column * _rows) + row;
        }
        return -1; // the keys moved since the tie pass
    }

    // The tied weight of each of the 32 columns, in blocks of eight (a vector each), and of the first three blocks.
    private struct ColumnSums
    {
        public ColumnBlocks Columns;
        public int First, Second, Third;

        // The column on which target (below the total) falls, and target made relative to that column: the block of
        // eight columns first, from the block sums, then a column in it (at most seven steps where 32 columns take 16).
        public int ColumnOf(ref long target)
        {
            // The block without branches (conditional moves): where a random number falls is what a predictor cannot learn.
            int value = (int)target;
            int firstTwo = First + Second;
            int block = (value >= First ? 1 : 0) + (value >= firstTwo ? 1 : 0) + (value >= firstTwo + Third ? 1 : 0);
            value -= (block > 0 ? First : 0) + (block > 1 ? Second : 0) + (block > 2 ? Third : 0);
            ref int weights = ref Unsafe.As<Vector256<int>, int>(ref Columns[block]);
            int lane = 0;
            for (; lane < 7 && value >= Unsafe.Add(ref weights, lane); lane++) value -= Unsafe.Add(ref weights, lane);
            target = value;
            return (block * 8) + lane;
        }
    }

    [InlineArray(4)]
    private struct ColumnBlocks
    {
        private Vector256<int> _first;
    }

    /// <summary>One destination's place in a table: where its count goes, and what it is multiplied by there.</summary>
    internal sealed class Seat(InFlightTable table, int slot, int multiplier)
    {
        /// <summary>The table this seat belongs to.</summary>
        public InFlightTable Table => table;

        /// <summary>
        /// Copies <paramref name="state"/>'s count into the seat. Called after every change of the count, by the thread
        /// that changed it. Writers race, so each one re-reads the count after its store (the exchange is a full fence)
        /// and stores again if it moved: the last store is then always followed by a read that agrees with it, and a
        /// count that changes afterwards is stored by whoever changed it. So once requests stop, the key is exact.
        /// </summary>
        public void Publish(DestinationState state)
        {
            ref int key = ref table._keys[slot];
            int active;
            do
            {
                active = state.ActiveRequests;
                Interlocked.Exchange(ref key, Key(active));
            }
            while (state.ActiveRequests != active);
        }

        private int Key(int active) => (int)Math.Clamp((long)active * multiplier, int.MinValue, Saturated);
    }
}
