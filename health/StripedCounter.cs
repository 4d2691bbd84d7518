using System.Runtime.InteropServices;

namespace Proxy.Health;

/// <summary>
/// A counter that many cores change often and one reader sums rarely: each core adds to its own cache line, so
/// request start/end on different cores never contend; <see cref="Sum"/> adds the cells up. An increment on one core
/// and the matching decrement on another leave two cells off by one each and the sum exact.
/// </summary>
/// <remarks>Lock-free and allocation-free. <see cref="Sum"/> is exact when nothing changes during it and off by at most
/// the changes that race it otherwise, which is all a load-proportional budget needs.</remarks>
internal sealed class StripedCounter
{
    private readonly Cell[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        int count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _cells = new Cell[count];
        _mask = count - 1;
    }

    public void Add(long delta) => Interlocked.Add(ref _cells[Thread.GetCurrentProcessorId() & _mask].Value, delta);

    public long Sum()
    {
        long sum = 0;
        for (int i = 0; i < _cells.Length; i++) sum += Volatile.Read(ref _cells[i].Value);
        return sum;
    }

    // 128 bytes with the value in the middle: no neighbour (another cell, the array header) shares its cache line,
    // even with the adjacent-line prefetching of x64 cores.
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
