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
    /// The table for <paramref name="available"/>. A hit costs one volatile read, the weights version and a
    /// vectorised comparison of the references (about N/4 cycles); a miss copies the set and builds.
    /// </summary>
    public TTable Get(ReadOnlySpan<DestinationState> available)
    {
        Entry? latest = Volatile.Read(ref _latest);
        if (latest is not null && latest.Matches(available, DestinationState.WeightsVersion)) return latest.Table;
        return GetSlow(available, latest);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TTable GetSlow(ReadOnlySpan<DestinationState> available, Entry? latest)
    {
        int version = DestinationState.WeightsVersion;
        if (latest?.Previous is { } previous && previous.Matches(available, version)) return previous.Table;

        // The version is read before the weights the build reads: a weight changed meanwhile bumps it past
        // this entry's, so the entry misses next time instead of serving stale weights forever.
        DestinationState[] members = available.ToArray();
        var entry = new Entry(members, version, _build(members), latest?.WithoutPrevious());
        Volatile.Write(ref _latest, entry);
        return entry.Table;
    }

    private sealed class Entry(DestinationState[] members, int weightsVersion, TTable table, Entry? previous)
    {
        public TTable Table { get; } = table;

        public Entry? Previous { get; } = previous;

        public Entry WithoutPrevious() => Previous is null ? this : new Entry(members, weightsVersion, Table, null);

        public bool Matches(ReadOnlySpan<DestinationState> available, int currentWeightsVersion)
        {
            if (weightsVersion != currentWeightsVersion || available.Length != members.Length) return false;
            // "The very same objects in the same order", compared as pointer-sized integers so that it vectorises
            // instead of calling Equals per element. A compacting GC in the middle of the comparison can at worst
            // make it report a difference (a needless rebuild), or in theory a false match against a set of the
            // same length, which only serves one pick from the previous table: still a valid index.
            ReadOnlySpan<nint> handed = MemoryMarshal.CreateReadOnlySpan(
                ref Unsafe.As<DestinationState, nint>(ref MemoryMarshal.GetReference(available)), available.Length);
            ReadOnlySpan<nint> known = MemoryMarshal.CreateReadOnlySpan(
                ref Unsafe.As<DestinationState, nint>(ref MemoryMarshal.GetArrayDataReference(members)), members.Length);
            return handed.SequenceEqual(known);
        }
    }
}
