using System.Buffers;
using System.Buffers.Text;

namespace Proxy.Protocols.Http1;

/// <summary>Writes the chunked transfer coding (RFC 9112 §7.1): size lines in lowercase hex, no extensions.</summary>
/// <remarks>Allocation-free: every write goes through <see cref="IBufferWriter{T}.GetSpan"/> and <see cref="IBufferWriter{T}.Advance"/>.</remarks>
public static class ChunkedEncoder
{
    // 16 hex digits hold any long, plus CRLF.
    private const int MaxSizeLineBytes = 18;
    private static readonly StandardFormat LowercaseHex = new('x');

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>Writes one chunk holding <paramref name="data"/>; writes nothing when it is empty (an empty chunk would end the body).</summary>
    public static void WriteChunk(IBufferWriter<byte> writer, in ReadOnlySequence<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (data.IsEmpty) return;
        WriteSizeLine(writer, data.Length);
        foreach (ReadOnlyMemory<byte> segment in data) writer.Write(segment.Span);
        writer.Write(CrLf);
    }

    /// <summary>Writes one chunk holding <paramref name="data"/>; nothing when empty.</summary>
    public static void WriteChunk(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (data.IsEmpty) return;
        WriteSizeLine(writer, data.Length);
        writer.Write(data);
        writer.Write(CrLf);
    }

    /// <summary>Writes the last chunk "0\r\n"; follow it with trailer fields, then <see cref="WriteEnd"/>.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("0\r\n"u8);
    }

    /// <summary>Writes one trailer field line (as given by the decoder) and its CRLF.</summary>
    public static void WriteTrailerField(IBufferWriter<byte> writer, in ReadOnlySequence<byte> line)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (ReadOnlyMemory<byte> segment in line) writer.Write(segment.Span);
        writer.Write(CrLf);
    }

    /// <summary>Writes the CRLF that ends the trailer section and so the body.</summary>
    public static void WriteEnd(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(CrLf);
    }

    private static void WriteSizeLine(IBufferWriter<byte> writer, long size)
    {
        Span<byte> span = writer.GetSpan(MaxSizeLineBytes);
        Utf8Formatter.TryFormat(size, span, out int written, LowercaseHex);
        span[written] = HttpCharacters.Cr;
        span[written + 1] = HttpCharacters.Lf;
        writer.Advance(written + 2);
    }
}
