using System.Runtime.InteropServices;

namespace Proxy.Engine.AccessLog;

/// <summary>
/// A fixed-capacity, lock-free, multi-producer multi-consumer queue (Dmitry Vyukov's bounded MPMC queue): an array of
/// slots, each with a sequence number that says whose turn it is. Enqueue on a full queue fails at once instead of
/// waiting, which is what the request path needs. Never allocates after construction.
/// </summary>
/// <remarks>
/// Slot i is free for the producer at position p when its sequence is p, and holds an item for the consumer at p when
/// its sequence is p + 1; a consumer hands the slot to the producer one lap later by setting it to p + capacity.
/// </remarks>
internal sealed class BoundedQueue<T>
    where T : class
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private QueuePositions _positions;

    /// <summary>A queue of <paramref name="capacity"/> rounded up to a power of two (at least 2).</summary>
    public BoundedQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 30);
        int size = (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity));
        _slots = new Slot[size];
        for (int i = 0; i < size; i++) _slots[i].Sequence = i;
        _mask = size - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Whether nothing is queued (a snapshot: producers may be adding right now).</summary>
    public bool IsEmpty
    {
        get
        {
            long position = Volatile.Read(ref _positions.Dequeue);
            return Volatile.Read(ref _slots[position & _mask].Sequence) - (position + 1) < 0;
        }
    }

    /// <summary>Adds <paramref name="item"/>; false, at once, when the queue is full.</summary>
    public bool TryEnqueue(T item)
    {
        long position = Volatile.Read(ref _positions.Enqueue);
        while (true)
        {
            ref Slot slot = ref _slots[position & _mask];
            long difference = Volatile.Read(ref slot.Sequence) - position;
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _positions.Enqueue, position + 1, position);
                if (seen == position)
                {
                    slot.Item = item;
                    Volatile.Write(ref slot.Sequence, position + 1);
                    return true;
                }
                position = seen;
            }
            else if (difference < 0)
            {
                return false;    // the consumer has not freed this slot yet: full
            }
            else
            {
                position = Volatile.Read(ref _positions.Enqueue);
            }
        }
    }

    /// <summary>Takes the oldest item; false when the queue is empty.</summary>
    public bool TryDequeue(out T item)
    {
        long position = Volatile.Read(ref _positions.Dequeue);
        while (true)
        {
            ref Slot slot = ref _slots[position & _mask];
            long difference = Volatile.Read(ref slot.Sequence) - (position + 1);
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _positions.Dequeue, position + 1, position);
                if (seen == position)
                {
                    item = slot.Item!;
                    slot.Item = null;
                    Volatile.Write(ref slot.Sequence, position + _mask + 1);
                    return true;
                }
                position = seen;
            }
            else if (difference < 0)
            {
                item = null!;
                return false;
            }
            else
            {
                position = Volatile.Read(ref _positions.Dequeue);
            }
        }
    }

    private struct Slot
    {
        public long Sequence;
        public T? Item;
    }
}

/// <summary>
/// The two positions of a <see cref="BoundedQueue{T}"/>. Producers and consumers each hammer their own: keep them on
/// separate cache lines. (Outside the queue because a type nested in a generic type is generic, and generic types cannot
/// have explicit layout.)
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct QueuePositions
{
    [FieldOffset(64)] public long Enqueue;
    [FieldOffset(128)] public long Dequeue;
}
