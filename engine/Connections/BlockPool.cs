using System.Buffers;
using System.Collections.Concurrent;

namespace Proxy.Engine.Connections;

/// <summary>
/// Fixed 4 KiB blocks, kept in one process-wide queue and handed out again, for pipes whose buffers are written on one
/// thread and returned on another, many at a time: the HTTP/2 streams' in-memory pipes and what client connections
/// send (<see cref="TransportOptions.ClientSend"/>). <see cref="MemoryPool{T}.Shared"/> (ArrayPool underneath) drops
/// and re-allocates them there: more are in flight than ArrayPool keeps per size on a 2-core machine (32 a core). A
/// stream's request pipe is written on the connection's read loop and read on the thread pool, and a connection's
/// streams come and go in bursts (h2load -m10: 160 in flight): about one block per request was allocated (~3.4 KB).
/// </summary>
/// <remarks>
/// A block returns itself when the pipe disposes its segment; the pipe disposes each segment once. At most
/// <see cref="Capacity"/> idle blocks are kept (4 MiB); beyond that a returned block is left to the GC. Thread-safe.
/// Like StateMachineBox, a ConcurrentQueue is used because it reuses its ring segments once grown: no allocation in a
/// steady state.
/// </remarks>
internal sealed class BlockPool : MemoryPool<byte>
{
    /// <summary>The size of every block; also the pipes' minimum segment size.</summary>
    public const int BlockSize = 4096;

    /// <summary>Idle blocks kept at most.</summary>
    public const int Capacity = 1024;

    public static BlockPool Instance { get; } = new();

    private readonly ConcurrentQueue<Block> _idle = new();
    private int _idleCount;

    private BlockPool()
    {
    }

    public override int MaxBufferSize => BlockSize;

    /// <summary>A block of <see cref="BlockSize"/> bytes (the pipe never asks for more: larger writes go to ArrayPool).</summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (Volatile.Read(ref _idleCount) > 0 && _idle.TryDequeue(out Block? block))
        {
            Interlocked.Decrement(ref _idleCount);
            block.Rented = true;
            return block;
        }
        return new Block(this) { Rented = true };
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _idleCount) <= Capacity)
        {
            _idle.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _idleCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        // Process-wide: never disposed.
    }

    private sealed class Block(BlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize);

        public bool Rented { get; set; }

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // A second Dispose would put the block in the queue twice and hand it to two pipes at once.
            if (!Rented) return;
            Rented = false;
            pool.Return(this);
        }
    }
}
