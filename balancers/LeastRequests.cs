using System.Buffers;
using System.Runtime.CompilerServices;

namespace Proxy.Balancers;

/// <summary>
/// The destination with the fewest in-flight requests relative to its weight ("least_conn"; nginx's weighted
/// least connections, HAProxy's leastconn): the smallest ActiveRequests / Weight, exactly. Ties are broken at random in
/// proportion to weight — uniformly would ignore weights whenever the cluster is idle, which is when most destinations
/// tie at zero — and uniformly when all weights are equal. No random number is drawn when one destination is least
/// (with a table, once a pick has found it so; see <see cref="InFlightTable.TryPick"/>).
/// <para>
/// Each available set of more than <see cref="ScanLimit"/> destinations gets an <see cref="InFlightTable"/> (cached like
/// other balancers' tables; <see cref="Prepare"/> builds it off the request path): the destinations copy their in-flight
/// counts into it as requests start and end, and a pick reads those contiguous ints with vector instructions, one
/// pass of N/8 steps, instead of visiting N objects, then draws among the ties from an alias table or by a short walk. Smaller sets, and sets the table cannot answer exactly (see
/// <see cref="InFlightTable"/>: no 256-bit vector hardware, more than <see cref="InFlightTable.MaxDestinations"/>
/// destinations, loads too large for its integer keys), are scanned: the destinations' own counters are read one by
/// one, as nginx does, for the same choice.
/// </para>
/// Lock-free, allocation-free once the set's table exists; thread-safe as far as the injected
/// <see cref="IRandomSource"/> is.
/// </summary>
public sealed class LeastRequests : IBalancer
{
    /// <summary>Clusters up to this many destinations collect ties on the stack when scanned.</summary>
    public const int StackTieLimit = 512;

    /// <summary>
    /// Sets up to this many destinations are always scanned: reading a few objects costs no more than a table's fixed
    /// part (finding the set's table, the vector pass however short, the draw). Measured (perf/RESULTS.md, 2026-11-24,
    /// with the two passes of then): at 16 destinations the scan took 35-49 ns a pick and the table 44-51, 21 against 28
    /// with a single least.
    /// </summary>
    public const int ScanLimit = 16;

    private readonly IRandomSource _random;
    private readonly AvailableSetCache<InFlightTable> _tables = new(InFlightTable.Build);

    /// <summary>A balancer breaking ties with <paramref name="random"/>.</summary>
    public LeastRequests(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length <= ScanLimit) return PickByScan(available);
        InFlightTable table = _tables.Get(available);
        if (table.CanPick)
        {
            if (!table.IsAdopted) table.EnsureAdopted();
            int picked = table.TryPick(_random);
            if (picked >= 0) return picked;
        }
        return PickByScan(available);
    }

    /// <summary>Builds the table of <paramref name="available"/> and seats its destinations there, so that the first pick does not.</summary>
    public void Prepare(ReadOnlySpan<DestinationState> available)
    {
        if (available.Length <= ScanLimit) return;
        InFlightTable table = _tables.Get(available);
        if (table.CanPick) table.EnsureAdopted();
    }

    /// <summary>The same choice as the table's, from the destinations' own counters: O(N), for sets the table cannot answer.</summary>
    [SkipLocalsInit]
    internal int PickByScan(ReadOnlySpan<DestinationState> available)
    {
        if (available.Length < 2) return available.Length - 1;
        if (available.Length <= StackTieLimit) return PickAmong(available, stackalloc int[available.Length]);

        int[] rented = ArrayPool<int>.Shared.Rent(available.Length);
        try
        {
            return PickAmong(available, rented);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private int PickAmong(ReadOnlySpan<DestinationState> available, Span<int> ties)
    {
        // Unsynchronised reads: counters move while we scan, so the minimum is of a slightly blurred snapshot;
        // that can only make a pick slightly worse, never invalid.
        long bestActive = available[0].ActiveRequests;
        long bestWeight = available[0].Weight;
        long tiedWeight = bestWeight;
        int tieCount = 1;
        ties[0] = 0;
        for (int i = 1; i < available.Length; i++)
        {
            DestinationState destination = available[i];
            long active = destination.ActiveRequests;
            long weight = destination.Weight;
            // Compares active / weight with bestActive / bestWeight without dividing (both products < 2^62).
            long difference = (active * bestWeight) - (bestActive * weight);
            if (difference > 0) continue;
            if (difference < 0)
            {
                bestActive = active;
                bestWeight = weight;
                tieCount = 0;
                tiedWeight = 0;
            }
            ties[tieCount++] = i;
            tiedWeight += weight;
        }
        if (tieCount == 1) return ties[0];

        long target = _random.NextInt64(tiedWeight);
        for (int t = 0; t < tieCount - 1; t++)
        {
            // Weights can change between the scan and here; the last tie absorbs any difference.
            target -= available[ties[t]].Weight;
            if (target < 0) return ties[t];
        }
        return ties[tieCount - 1];
    }
}
