using System.Numerics;

namespace Proxy.Balancers;

/// <summary>
/// Sticky sessions, the balancer's half ("sticky"): <see cref="PickContext.Key"/> carries the cookie value the
/// client sent (the caller extracts it; empty when none), and the destination whose
/// <see cref="DestinationState.StickyId"/> equals it is chosen while it is in the available set. Otherwise — no
/// cookie, an unknown or stale id, or a destination not available now — the fallback balancer chooses (with an
/// empty key), and the caller sets the cookie to the chosen destination's StickyId: see <see cref="IsPinned"/>.
/// A lookup is O(1): one hash of the key into a table built once per available set, and one comparison.
/// Lock-free, allocation-free; the cookie bytes are untrusted and only ever hashed and compared.
/// </summary>
public sealed class StickySession : IBalancer
{
    private readonly IBalancer _fallback;
    private readonly AvailableSetCache<IdTable> _tables = new(IdTable.Build);

    /// <summary>A balancer pinning new sessions with <paramref name="fallback"/> (which must not need a key).</summary>
    public StickySession(IBalancer fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        _fallback = fallback;
    }

    /// <summary>
    /// Whether a request that carried <paramref name="key"/> and was sent to <paramref name="chosen"/> is already
    /// pinned there; when false the caller sets the cookie to <c>chosen.StickyId</c> (a new session, or a re-pin
    /// because the old destination is gone). Thread-safe, allocation-free.
    /// </summary>
    public static bool IsPinned(ReadOnlySpan<byte> key, DestinationState chosen)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        return key.SequenceEqual(chosen.StickyId);
    }

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        ReadOnlySpan<byte> key = context.Key;
        if (!key.IsEmpty && key.Length <= DestinationState.MaxStickyIdLength)
        {
            int pinned = _tables.Get(available).Find(available, key);
            if (pinned >= 0) return pinned;
        }
        // The cookie is no key for the fallback; the time is still useful to it (peak_ewma).
        return _fallback.Pick(available, new PickContext(default, context.Timestamp));
    }

    /// <inheritdoc/>
    public void Prepare(ReadOnlySpan<DestinationState> available)
    {
        if (available.Length >= 2) _tables.Get(available);
        _fallback.Prepare(available);
    }

    /// <summary>Open addressing, linear probing, at most half full: sticky-id hash → index + 1 (0 = empty).</summary>
    private sealed record IdTable(ulong[] Hashes, int[] Slots)
    {
        public static IdTable Build(DestinationState[] members)
        {
            int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)members.Length * 2);
            ulong[] hashes = new ulong[capacity];
            int[] slots = new int[capacity];
            for (int i = 0; i < members.Length; i++)
            {
                ulong hash = members[i].StickyIdHash;
                int probe = (int)(hash & (ulong)(capacity - 1));
                while (slots[probe] != 0) probe = (probe + 1) & (capacity - 1);
                hashes[probe] = hash;
                slots[probe] = i + 1;
            }
            return new IdTable(hashes, slots);
        }

        public int Find(ReadOnlySpan<DestinationState> available, ReadOnlySpan<byte> key)
        {
            ulong hash = StableHash.Hash64(key);
            int mask = Slots.Length - 1;
            for (int probe = (int)(hash & (ulong)mask); Slots[probe] != 0; probe = (probe + 1) & mask)
            {
                int index = Slots[probe] - 1;
                if (Hashes[probe] == hash && available[index].StickyId.SequenceEqual(key)) return index;
            }
            return -1;
        }
    }
}
