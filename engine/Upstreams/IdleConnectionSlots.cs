namespace Proxy.Engine.Upstreams;

/// <summary>
/// A fixed number of slots holding idle connections, taken and returned with one interlocked operation each
/// and no allocation (a linked stack would allocate a node per return and suffer ABA).
/// Both operations scan from slot 0, so busy periods keep reusing the same few hot connections and the ones
/// in higher slots stay idle long enough for the idle timeout to close them.
/// </summary>
internal sealed class IdleConnectionSlots
{
    private readonly UpstreamConnection?[] _slots;

    public IdleConnectionSlots(int capacity) => _slots = new UpstreamConnection?[capacity];

    public int Capacity => _slots.Length;

    /// <summary>How many slots hold a connection now: a scan, for the admin API, never for the request path.</summary>
    public int Count
    {
        get
        {
            UpstreamConnection?[] slots = _slots;
            int count = 0;
            for (int i = 0; i < slots.Length; i++)
            {
                if (Volatile.Read(ref slots[i]) is not null) count++;
            }
            return count;
        }
    }

    /// <summary>Takes any idle connection, or null when there is none.</summary>
    public UpstreamConnection? TryTake()
    {
        UpstreamConnection?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            // Unsynchronised peek first: most empty slots are skipped without an interlocked operation.
            if (Volatile.Read(ref slots[i]) is null) continue;
            UpstreamConnection? taken = Interlocked.Exchange(ref slots[i], null);
            if (taken is not null) return taken;
        }
        return null;
    }

    /// <summary>Parks <paramref name="connection"/>; false when every slot is full (the caller closes it).</summary>
    public bool TryAdd(UpstreamConnection connection)
    {
        UpstreamConnection?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is not null) continue;
            if (Interlocked.CompareExchange(ref slots[i], connection, null) is null) return true;
        }
        return false;
    }

    /// <summary>Takes out every connection idle since before <paramref name="idleSinceBeforeMs"/>, for closing.</summary>
    public void RemoveIdleSince(long idleSinceBeforeMs, List<UpstreamConnection> expired)
    {
        UpstreamConnection?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            UpstreamConnection? candidate = Volatile.Read(ref slots[i]);
            if (candidate is null || candidate.IdleSinceMs >= idleSinceBeforeMs) continue;
            // Only remove it if it is still the same parked connection (not taken and re-parked meanwhile).
            if (Interlocked.CompareExchange(ref slots[i], null, candidate) == candidate) expired.Add(candidate);
        }
    }

    /// <summary>Takes out every connection, for closing.</summary>
    public void RemoveAll(List<UpstreamConnection> removed) => RemoveIdleSince(long.MaxValue, removed);
}
