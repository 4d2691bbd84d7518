using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>Writes the chunked transfer coding (RFC 9112 §7.1): size lines in lowercase hex, no extensions.</summary>
public static class ChunkedEncoder
{
    /// <summary>Writes one chunk holding <paramref name="data"/>; writes nothing when it is empty (an empty chunk would end the body).</summary>
    public static void WriteChunk(IBufferWriter<byte> writer, in ReadOnlySequence<byte> data) => throw new NotImplementedException();

    /// <summary>Writes one chunk holding <paramref name="data"/>; nothing when empty.</summary>
    public static void WriteChunk(IBufferWriter<byte> writer, ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Writes the last chunk "0\r\n"; follow it with trailer fields, then <see cref="WriteEnd"/>.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> writer) => throw new NotImplementedException();

    /// <summary>Writes one trailer field line (as given by the decoder) and its CRLF.</summary>
    public static void WriteTrailerField(IBufferWriter<byte> writer, in ReadOnlySequence<byte> line) => throw new NotImplementedException();

    /// <summary>Writes the CRLF that ends the trailer section and so the body.</summary>
    public static void WriteEnd(IBufferWriter<byte> writer) => throw new NotImplementedException();
}
