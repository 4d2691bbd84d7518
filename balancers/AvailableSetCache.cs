using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Proxy.Balancers;

/// <summary>
/// A table derived from an available set (an SWRR sequence, a Maglev table, ...), built once per set and
/// reused while Pick keeps being handed the same destinations in the same order with the same weights.
/// The engine swaps its available array only when health or config changes, so a hit is the steady state.
/// Lock-free: readers take an immutable entry with one volatile read; concurrent misses may each build,
/// and the last to publish wins. Remembers the previous set too, so picks that still hold the old array
/// while the engine swaps in a new one do not rebuild back and forth.
/// </summary>
/// <typeparam name="TTable">The immutable derived table.</typeparam>
internal sealed class AvailableSetCache<TTable>
    where TTable : class
{
    private readonly Func<DestinationState[], TTable> _build;
    private Entry? _latest;

    /// <summary>A cache that calls <paramref name="build"/> (off the steady-state path) with a private copy of a new set.</summary>
    public AvailableSetCache(Func<DestinationState[], TTable> build) => _build = build;

    /// <summary>
    /// The table for <paramref name="available"/>. The steady state costs O(1) whatever the set's size: the
    /// memory the span points at, the GC count and the weights version are those last verified. Otherwise the
    /// references are compared (vectorised, about N/4 cycles) and, if they differ, the set is copied and built.
    /// </summary>
    public TTable Get(ReadOnlySpan<DestinationState> available)
    {
        Entry? latest = Volatile.Read(ref _latest);
        if (latest is not null && latest.IsVerifiedSpan(available)) return latest.Table;
        return GetSlow(available, latest);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TTable GetSlow(ReadOnlySpan<DestinationState> available, Entry? latest)
    {
        int version = DestinationState.WeightsVersion;
        if (latest is not null && latest.Verify(available, version)) return latest.Table;
        if (latest?.Previous is { } previous && previous.Verify(available, version)) return previous.Table;

        // The version is read before the weights the build reads: a weight changed meanwhile bumps it past
        // this entry's, so the entry misses next time instead of serving stale weights forever.
        DestinationState[] members = available.ToArray();
        var entry = new Entry(members, version, _build(members), latest?.WithoutPrevious());
        entry.Verify(available, version);
        Volatile.Write(ref _latest, entry);
        return entry.Table;
    }

    private sealed class Entry(DestinationState[] members, int weightsVersion, TTable table, Entry? previous)
    {
        // Where and when a span equal to members was last seen: its address and the GC count, packed by Stamp.
        // Memory holding a live array can only come to hold another one after a GC has run, and a GC bumps the
        // count, so the same address under the same count is the same, unchanged array (callers hand immutable
        // arrays; one changed in place between two picks would be served the old table). 0 = not verified.
        private long _verifiedStamp;

        public TTable Table { get; } = table;

        public Entry? Previous { get; } = previous;

        public Entry WithoutPrevious() => Previous is null ? this : new Entry(members, weightsVersion, Table, null);

        public bool IsVerifiedSpan(ReadOnlySpan<DestinationState> available)
        {
            // Address before count: a GC in between then shows as a new count, never as an old one.
            long stamp = Stamp(available, GC.CollectionCount(0));
            return stamp != 0
                && stamp == Volatile.Read(ref _verifiedStamp)
                && available.Length == members.Length
                && members.Length != 0
                && weightsVersion == DestinationState.WeightsVersion
                // The count keeps 20 bits: after a wrap (a million GCs between two picks) an array at a reused
                // address would also need the same first and last destination to be taken for this one.
                && ReferenceEquals(available[0], members[0])
                && ReferenceEquals(available[^1], members[^1]);
        }

        public bool Verify(ReadOnlySpan<DestinationState> available, int currentWeightsVersion)
        {
            // Count before address and comparison: a GC meanwhile leaves a stale count, so the stamp only misses.
            int collections = GC.CollectionCount(0);
            long stamp = Stamp(available, collections);
            if (!HasSameMembers(available, currentWeightsVersion)) return false;
            if (stamp != 0) Volatile.Write(ref _verifiedStamp, stamp);
            return true;
        }

        private bool HasSameMembers(ReadOnlySpan<DestinationState> available, int currentWeightsVersion)
        {
            if (weightsVersion != currentWeightsVersion || available.Length != members.Length) return false;
            // "The very same objects in the same order", compared as pointer-sized integers so that it vectorises
            // instead of calling Equals per element. A compacting GC in the middle of the comparison can at worst
            // make it report a difference (a needless rebuild), or in theory a false match against a set of the
            // same length, which the stale count then limits to one pick from the previous table: a valid index.
            ReadOnlySpan<nint> handed = MemoryMarshal.CreateReadOnlySpan(
                ref Unsafe.As<DestinationState, nint>(ref MemoryMarshal.GetReference(available)), available.Length);
            ReadOnlySpan<nint> known = MemoryMarshal.CreateReadOnlySpan(
                ref Unsafe.As<DestinationState, nint>(ref MemoryMarshal.GetArrayDataReference(members)), members.Length);
            return handed.SequenceEqual(known);
        }

        // ┌──────────── 20 bits ───────────┬──────────────── 44 bits ────────────────┐
        // │ GC count (low bits)            │ address / 8 (8-aligned, below 2^47)     │
        // └────────────────────────────────┴─────────────────────────────────────────┘
        private static unsafe long Stamp(ReadOnlySpan<DestinationState> span, int collections)
        {
            // The address is only compared, never dereferenced, so it needs no pinning: if the GC moves the
            // array afterwards the stamp merely misses.
            ulong address = (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
            if (address == 0 || address >= 1UL << 47) return 0; // empty, or an address space we did not plan for
            return (long)((address >> 3) | ((ulong)(collections & 0xFFFFF) << 44));
        }
    }
}
