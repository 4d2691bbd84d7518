using System.Buffers;

namespace Proxy.Protocols.Http2;

/// <summary>
/// The client connection preface (RFC 9113 §3.4): 24 fixed bytes, <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>, sent before the
/// client's first SETTINGS frame. Checking it is the server's first step on a prior-knowledge (h2c) or ALPN h2
/// connection; writing it is the client's. Stateless; thread-safe; allocates nothing.
/// </summary>
public static class ConnectionPreface
{
    /// <summary>Bytes of the preface.</summary>
    public const int Length = 24;

    /// <summary>The preface bytes.</summary>
    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// Checks for the preface at the start of <paramref name="reader"/> and advances past it. Returns false, consuming
    /// nothing, while fewer than 24 bytes are there and those that are match. Throws <see cref="Http2RejectException"/>
    /// (connection, PROTOCOL_ERROR, <see cref="Http2RejectReason.InvalidPreface"/>) as soon as one byte differs, so an
    /// HTTP/1.1 request or TLS record sent to an h2c port is refused at its first bytes.
    /// </summary>
    /// <remarks>A server must then see a SETTINGS frame first (RFC 9113 §3.4); that ordering rule is the engine's.</remarks>
    public static bool TryRead(ref SequenceReader<byte> reader)
    {
        ReadOnlySpan<byte> expected = Bytes;
        ReadOnlySpan<byte> unread = reader.UnreadSpan;
        if (unread.Length >= Length)
        {
            if (!unread[..Length].SequenceEqual(expected)) Http2RejectException.ThrowConnectionError(Http2RejectReason.InvalidPreface);
            reader.Advance(Length);
            return true;
        }

        Span<byte> received = stackalloc byte[Length];
        int available = (int)Math.Min(reader.Remaining, Length);
        reader.UnreadSequence.Slice(0, available).CopyTo(received);
        if (!received[..available].SequenceEqual(expected[..available])) Http2RejectException.ThrowConnectionError(Http2RejectReason.InvalidPreface);
        if (available < Length) return false;
        reader.Advance(Length);
        return true;
    }

    /// <summary>Writes the preface (the client's side); follow it with a SETTINGS frame.</summary>
    public static void Write(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Bytes);
    }
}
