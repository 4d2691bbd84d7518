using System.Buffers;

namespace Proxy.Engine.AccessLog;

/// <summary>
/// One formatted access log line on its way to the writer: a buffer that <see cref="System.Text.Json.Utf8JsonWriter"/>
/// writes into. Lines are recycled, so in steady state none is allocated; an unusually long line borrows a larger
/// buffer from <see cref="ArrayPool{T}.Shared"/> and gives it back when recycled, so a recycled line holds only its
/// small own buffer.
/// </summary>
internal sealed class LogLine : IBufferWriter<byte>
{
    /// <summary>Room for a typical line (about 400-700 bytes) with margin.</summary>
    public const int OwnBufferSize = 2048;

    private readonly byte[] _own = new byte[OwnBufferSize];
    private byte[] _buffer;
    private int _length;

    public LogLine() => _buffer = _own;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Empties the line for its next use, returning a borrowed buffer.</summary>
    public void Clear()
    {
        if (!ReferenceEquals(_buffer, _own))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = _own;
        }
        _length = 0;
    }

    private void Ensure(int sizeHint)
    {
        int needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (!ReferenceEquals(_buffer, _own)) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
