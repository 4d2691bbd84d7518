using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Proxy.Balancers;

/// <summary>
/// A fixed number of ints starting on a 64-byte boundary, for arrays read with 256-bit vector loads: a load that
/// straddles two cache lines costs more than one that does not, and where an ordinary array starts is up to the
/// allocator (8-byte steps). Measured (perf/RESULTS.md, 2026-11-24, third session): a one-least pick over 256 keys,
/// 48.6-49.5 ns unaligned, 46.1-47.4 aligned. The array is allocated on the pinned object heap, so that the GC never
/// moves it off the boundary: meant for long-lived tables (one per available set), not for per-request buffers.
/// </summary>
internal readonly struct CacheLineAlignedInts
{
    private const int LineInts = 64 / sizeof(int);

    private readonly int[] _array;
    private readonly int _start;

    /// <summary><paramref name="length"/> zeroed ints, the first on a 64-byte boundary. Allocates (pinned).</summary>
    public unsafe CacheLineAlignedInts(int length)
    {
        _array = GC.AllocateArray<int>(length + LineInts, pinned: true);
        // Pinned: the address is fixed for the array's life, so it is read once. Objects are 8-byte aligned, so the
        // offset to the next boundary is a whole number of ints.
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _start = (int)((64 - (address % 64)) % 64) / sizeof(int);
        Length = length;
    }

    /// <summary>How many ints there are.</summary>
    public int Length { get; }

    /// <summary>The first int, on a 64-byte boundary: where vector loops start.</summary>
    public ref int First => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _start);

    /// <summary>The int at <paramref name="index"/> (below <see cref="Length"/>; checked against the padded array only).</summary>
    public ref int this[int index] => ref _array[_start + index];

    /// <summary>All <see cref="Length"/> ints.</summary>
    public Span<int> AsSpan() => _array.AsSpan(_start, Length);
}
