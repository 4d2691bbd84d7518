using System.Buffers.Text;
using System.IO.Pipelines;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Writes a message head into a pipe through the span it lends, asking for a new span only when one fills:
/// a head is usually one memcpy per piece and a single Advance. Synchronous by nature (a ref struct cannot
/// live across an await); call <see cref="Commit"/> before flushing.
/// </summary>
internal ref struct HeadWriter
{
    private const int MinimumSpan = 4096;
    private readonly PipeWriter _output;
    private Span<byte> _span;
    private int _buffered;

    public HeadWriter(PipeWriter output)
    {
        _output = output;
        _span = output.GetSpan(MinimumSpan);
        _buffered = 0;
    }

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _span.Length - _buffered)
        {
            bytes.CopyTo(_span[_buffered..]);
            _buffered += bytes.Length;
            return;
        }
        WriteAcrossSpans(bytes);
    }

    public void Write(byte value)
    {
        if (_buffered == _span.Length) NextSpan();
        _span[_buffered++] = value;
    }

    /// <summary>Writes a non-negative integer in decimal ASCII.</summary>
    public void WriteDecimal(long value)
    {
        if (_span.Length - _buffered < 20) NextSpan();
        Utf8Formatter.TryFormat(value, _span[_buffered..], out int written);
        _buffered += written;
    }

    /// <summary>"Name: value\r\n".</summary>
    public void WriteField(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    /// <summary>Hands what was written to the pipe (not yet flushed).</summary>
    public void Commit()
    {
        _output.Advance(_buffered);
        _buffered = 0;
        _span = default;
    }

    private void WriteAcrossSpans(scoped ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_buffered == _span.Length) NextSpan();
            int chunk = Math.Min(bytes.Length, _span.Length - _buffered);
            bytes[..chunk].CopyTo(_span[_buffered..]);
            _buffered += chunk;
            bytes = bytes[chunk..];
        }
    }

    private void NextSpan()
    {
        _output.Advance(_buffered);
        _span = _output.GetSpan(MinimumSpan);
        _buffered = 0;
    }
}
