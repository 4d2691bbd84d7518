namespace Proxy.Balancers;

/// <summary>
/// nginx's smooth weighted round robin ("weighted_round_robin"): over every run of W picks (W the sum of the
/// weights, divided by their greatest common divisor) each destination is chosen exactly its weight's share of
/// times, spread out rather than in bursts: weights 5, 1, 1 give a a b a c a a, then again.
/// <para>
/// nginx updates running weights per pick under a lock. Here the whole period is computed once per available
/// set (cached; <see cref="Prepare"/> can do it off the request path), and a pick is one interlocked increment of a
/// ticket counter and one array read: lock-free, allocation-free, and across threads the tickets still walk the
/// sequence in order, so the interleaving stays as smooth as nginx's. When the available set changes, the
/// sequence of the new set is computed and walked from its start; a destination not handed is never chosen.
/// </para>
/// <para>
/// The period is capped at <see cref="MaxSequenceLength"/> entries; weights whose reduced sum exceeds it are
/// scaled down proportionally first (ratios kept to within one part in <see cref="MaxSequenceLength"/>/N).
/// Building costs O(N × W) once per set.
/// </para>
/// </summary>
public sealed class SmoothWeightedRoundRobin : IBalancer
{
    /// <summary>The longest sequence precomputed per available set (4 bytes an entry).</summary>
    public const int MaxSequenceLength = 1 << 20;

    private readonly AvailableSetCache<Schedule> _schedules;
    private long _tickets;

    /// <summary>A balancer with its own ticket counter, starting at the beginning of each set's sequence.</summary>
    public SmoothWeightedRoundRobin() => _schedules = new AvailableSetCache<Schedule>(Build);

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        Schedule schedule = _schedules.Get(available);
        long ticket = Interlocked.Increment(ref _tickets);
        int[] sequence = schedule.Sequence;
        return sequence[(int)((ulong)(ticket - schedule.FirstTicket) % (ulong)sequence.Length)];
    }

    /// <inheritdoc/>
    public void Prepare(ReadOnlySpan<DestinationState> available)
    {
        if (available.Length >= 2) _schedules.Get(available);
    }

    /// <summary>
    /// nginx's sequence for <paramref name="weights"/> over one period (ngx_http_upstream_get_peer: every peer's
    /// current weight grows by its weight, the largest — the first on a tie — is chosen and loses the total).
    /// Indices into <paramref name="weights"/>.
    /// </summary>
    internal static int[] ComputeSequence(ReadOnlySpan<int> weights)
    {
        int[] reduced = ReduceWeights(weights);
        long total = 0;
        foreach (int weight in reduced) total += weight;

        int[] sequence = new int[total];
        long[] current = new long[reduced.Length];
        for (int step = 0; step < sequence.Length; step++)
        {
            int best = 0;
            for (int i = 0; i < reduced.Length; i++)
            {
                current[i] += reduced[i];
                if (current[i] > current[best]) best = i;
            }
            current[best] -= total;
            sequence[step] = best;
        }
        return sequence;
    }

    // Scaling every weight by k scales every running weight by k and changes no comparison, so dividing by the
    // greatest common divisor gives the same sequence with a shorter period.
    private static int[] ReduceWeights(ReadOnlySpan<int> weights)
    {
        int divisor = 0;
        long total = 0;
        foreach (int weight in weights)
        {
            divisor = GreatestCommonDivisor(divisor, weight);
            total += weight;
        }
        int[] reduced = new int[weights.Length];
        total /= divisor;
        for (int i = 0; i < weights.Length; i++)
        {
            long weight = weights[i] / divisor;
            // Only for absurd configurations (a reduced sum above a million): keeps every destination, ratios approximate.
            if (total > MaxSequenceLength) weight = Math.Max(1, weight * (MaxSequenceLength - weights.Length) / total);
            reduced[i] = (int)weight;
        }
        return reduced;
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private Schedule Build(DestinationState[] members)
    {
        int[] weights = new int[members.Length];
        for (int i = 0; i < members.Length; i++) weights[i] = members[i].Weight;
        // The next ticket starts the new sequence from its beginning (exactly so when single-threaded).
        return new Schedule(ComputeSequence(weights), Volatile.Read(ref _tickets) + 1);
    }

    private sealed record Schedule(int[] Sequence, long FirstTicket);
}
