using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;

namespace Proxy.Protocols.Http2;

/// <summary>
/// Reads HTTP/2 frames (RFC 9113 §4, §6) from the bytes of a pipe: first the 9-byte header, checked against
/// SETTINGS_MAX_FRAME_SIZE before any payload is awaited, then one parser per frame type that validates the payload's
/// layout and returns a view of it (slices of the input, no copy). Stateless and thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// Usage, per read from the pipe: <c>var reader = new SequenceReader&lt;byte&gt;(buffer); while (TryReadFrame(ref reader,
/// max, out header, out payload)) { switch (header.Type) { case FrameType.Data: var data = ReadData(header, payload); ... } }</c>
/// then advance the pipe to <c>reader.Position</c>. Frames of unknown type are returned like any other and should be
/// skipped; <see cref="FieldBlockTracker"/> refuses them inside a field block.
/// </para>
/// <para>
/// Violations throw <see cref="Http2RejectException"/> with the scope RFC 9113 gives them. An oversized frame is always
/// a connection error: §4.2 allows a stream error for some types, but the payload would then have to be read and
/// discarded, and a peer that ignores our SETTINGS_MAX_FRAME_SIZE is not one to keep talking to. The rules that need
/// connection state (stream states, SETTINGS before anything else, push refused) are the engine's.
/// </para>
/// </remarks>
public static class FrameReader
{
    /// <summary>
    /// Reads a frame header and advances <paramref name="reader"/> past it. Returns false, consuming nothing, when fewer
    /// than 9 bytes are there. Throws <see cref="Http2RejectException"/> (connection, FRAME_SIZE_ERROR) when the
    /// length is above <paramref name="maxFrameSize"/> (our SETTINGS_MAX_FRAME_SIZE), as soon as the 9 bytes are there.
    /// </summary>
    public static bool TryReadFrameHeader(ref SequenceReader<byte> reader, int maxFrameSize, out FrameHeader header)
    {
        if (!TryPeekFrameHeader(in reader, maxFrameSize, out header)) return false;
        reader.Advance(FrameHeader.Size);
        return true;
    }

    /// <summary>
    /// Reads a whole frame: header and payload. Returns false, consuming nothing, until all of it is there; the header's
    /// length is checked (as in <see cref="TryReadFrameHeader"/>) as soon as its 9 bytes are there, before the payload.
    /// On true, <paramref name="payload"/> is the payload (a slice of the reader's sequence) and the reader stands past it.
    /// </summary>
    public static bool TryReadFrame(ref SequenceReader<byte> reader, int maxFrameSize, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        if (!TryPeekFrameHeader(in reader, maxFrameSize, out header) || reader.Remaining < FrameHeader.Size + header.Length)
        {
            payload = default;
            return false;
        }
        reader.Advance(FrameHeader.Size);
        payload = reader.UnreadSequence.Slice(0, header.Length);
        reader.Advance(header.Length);
        return true;
    }

    /// <summary>
    /// DATA (RFC 9113 §6.1). Connection errors: stream 0 (PROTOCOL_ERROR), PADDED with no pad length byte
    /// (FRAME_SIZE_ERROR), padding not shorter than the payload (PROTOCOL_ERROR).
    /// </summary>
    public static DataFrame ReadData(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.Data && payload.Length == header.Length);
        RequireStream(in header);
        ReadOnlySequence<byte> data = Unpad(in header, in payload, fixedLength: 0);
        return new DataFrame(header.StreamId, data, header.Length, header.HasFlag(FrameFlags.EndStream));
    }

    /// <summary>
    /// HEADERS (RFC 9113 §6.2). Connection errors: stream 0 (PROTOCOL_ERROR), too short for pad length or priority
    /// (FRAME_SIZE_ERROR), padding longer than what remains for the fragment (PROTOCOL_ERROR). A self-dependency is
    /// reported in <see cref="HeadersFrame.StreamError"/>, not thrown, so that the block can still be decoded.
    /// </summary>
    public static HeadersFrame ReadHeaders(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.Headers && payload.Length == header.Length);
        RequireStream(in header);
        bool hasPriority = header.HasFlag(FrameFlags.Priority);
        ReadOnlySequence<byte> rest = Unpad(in header, in payload, hasPriority ? PriorityFields.Size : 0);
        PriorityFields priority = default;
        if (hasPriority)
        {
            Span<byte> scratch = stackalloc byte[PriorityFields.Size];
            priority = PriorityFields.Read(Fixed(rest, scratch));
            rest = rest.Slice(PriorityFields.Size);
        }
        return new HeadersFrame(header.StreamId, rest, header.Flags, priority);
    }

    /// <summary>
    /// PRIORITY (RFC 9113 §6.3). Stream 0 is a connection error (PROTOCOL_ERROR); a length other than 5 is a stream
    /// error (FRAME_SIZE_ERROR), and so is a self-dependency (PROTOCOL_ERROR, RFC 9113 §5.3.1).
    /// </summary>
    public static PriorityFields ReadPriority(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.Priority && payload.Length == header.Length);
        RequireStream(in header);
        if (header.Length != PriorityFields.Size) Http2RejectException.ThrowStreamError(Http2RejectReason.PriorityLengthInvalid, header.StreamId);
        Span<byte> scratch = stackalloc byte[PriorityFields.Size];
        PriorityFields priority = PriorityFields.Read(Fixed(payload, scratch));
        if (priority.StreamDependency == header.StreamId) Http2RejectException.ThrowStreamError(Http2RejectReason.PrioritySelfDependency, header.StreamId);
        return priority;
    }

    /// <summary>
    /// RST_STREAM (RFC 9113 §6.4): the error code, which may be one <see cref="Http2ErrorCode"/> does not name.
    /// Connection errors: stream 0 (PROTOCOL_ERROR), length other than 4 (FRAME_SIZE_ERROR).
    /// </summary>
    public static Http2ErrorCode ReadRstStream(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.RstStream && payload.Length == header.Length);
        RequireStream(in header);
        if (header.Length != 4) Http2RejectException.ThrowConnectionError(Http2RejectReason.RstStreamLengthInvalid, header.StreamId);
        Span<byte> scratch = stackalloc byte[4];
        return (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(Fixed(payload, scratch));
    }

    /// <summary>
    /// SETTINGS (RFC 9113 §6.5), every value validated before anything is returned (RFC 9113 §6.5.2), so a frame is
    /// applied whole or not at all. Connection errors: a stream other than 0 (PROTOCOL_ERROR), ACK with a payload or a
    /// length not a multiple of 6 (FRAME_SIZE_ERROR), an invalid value (see <see cref="Http2Settings.Validate"/>).
    /// </summary>
    public static SettingsFrame ReadSettings(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.Settings && payload.Length == header.Length);
        RequireConnection(in header);
        bool isAck = header.HasFlag(FrameFlags.Ack);
        if (isAck && header.Length != 0) Http2RejectException.ThrowConnectionError(Http2RejectReason.SettingsAckWithPayload);
        if (header.Length % Http2Setting.Size != 0) Http2RejectException.ThrowConnectionError(Http2RejectReason.SettingsLengthInvalid);
        var frame = new SettingsFrame(isAck, payload);
        foreach (Http2Setting setting in frame) Http2Settings.Validate(setting);
        return frame;
    }

    /// <summary>
    /// PUSH_PROMISE (RFC 9113 §6.6). Connection errors: stream 0 (PROTOCOL_ERROR), too short for pad length and promised
    /// stream id (FRAME_SIZE_ERROR), padding longer than what remains (PROTOCOL_ERROR).
    /// </summary>
    public static PushPromiseFrame ReadPushPromise(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.PushPromise && payload.Length == header.Length);
        RequireStream(in header);
        ReadOnlySequence<byte> rest = Unpad(in header, in payload, fixedLength: 4);
        Span<byte> scratch = stackalloc byte[4];
        int promised = (int)(BinaryPrimitives.ReadUInt32BigEndian(Fixed(rest, scratch)) & 0x7FFF_FFFFu);
        return new PushPromiseFrame(header.StreamId, promised, rest.Slice(4), header.HasFlag(FrameFlags.EndHeaders));
    }

    /// <summary>
    /// PING (RFC 9113 §6.7). Connection errors: a stream other than 0 (PROTOCOL_ERROR), length other than 8 (FRAME_SIZE_ERROR).
    /// </summary>
    public static PingFrame ReadPing(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.Ping && payload.Length == header.Length);
        RequireConnection(in header);
        if (header.Length != PingFrame.PayloadSize) Http2RejectException.ThrowConnectionError(Http2RejectReason.PingLengthInvalid);
        Span<byte> scratch = stackalloc byte[PingFrame.PayloadSize];
        return new PingFrame(BinaryPrimitives.ReadUInt64BigEndian(Fixed(payload, scratch)), header.HasFlag(FrameFlags.Ack));
    }

    /// <summary>
    /// GOAWAY (RFC 9113 §6.8). Connection errors: a stream other than 0 (PROTOCOL_ERROR), shorter than 8 bytes (FRAME_SIZE_ERROR).
    /// </summary>
    public static GoAwayFrame ReadGoAway(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.GoAway && payload.Length == header.Length);
        RequireConnection(in header);
        if (header.Length < GoAwayFrame.MinPayloadSize) Http2RejectException.ThrowConnectionError(Http2RejectReason.GoAwayTooShort);
        Span<byte> scratch = stackalloc byte[GoAwayFrame.MinPayloadSize];
        ReadOnlySpan<byte> fixedPart = Fixed(payload, scratch);
        int lastStreamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(fixedPart) & 0x7FFF_FFFFu);
        var errorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(fixedPart[4..]);
        return new GoAwayFrame(lastStreamId, errorCode, payload.Slice(GoAwayFrame.MinPayloadSize));
    }

    /// <summary>
    /// WINDOW_UPDATE (RFC 9113 §6.9): the increment, 1..2^31-1 (reserved bit cleared). A length other than 4 is a
    /// connection error (FRAME_SIZE_ERROR); an increment of 0 is PROTOCOL_ERROR, a stream error on a stream and a
    /// connection error on stream 0.
    /// </summary>
    public static int ReadWindowUpdate(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.WindowUpdate && payload.Length == header.Length);
        if (header.Length != 4) Http2RejectException.ThrowConnectionError(Http2RejectReason.WindowUpdateLengthInvalid, header.StreamId);
        Span<byte> scratch = stackalloc byte[4];
        int increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(Fixed(payload, scratch)) & 0x7FFF_FFFFu);
        if (increment == 0) Http2RejectException.ThrowForStream(Http2RejectReason.WindowUpdateZeroIncrement, header.StreamId);
        return increment;
    }

    /// <summary>
    /// CONTINUATION (RFC 9113 §6.10): the fragment, which is the whole payload; END_HEADERS is in the header's flags.
    /// Stream 0 is a connection error (PROTOCOL_ERROR). Whether a CONTINUATION may come at all is
    /// <see cref="FieldBlockTracker"/>'s rule.
    /// </summary>
    public static ReadOnlySequence<byte> ReadContinuation(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == FrameType.Continuation && payload.Length == header.Length);
        RequireStream(in header);
        return payload;
    }

    private static bool TryPeekFrameHeader(in SequenceReader<byte> reader, int maxFrameSize, out FrameHeader header)
    {
        ReadOnlySpan<byte> unread = reader.UnreadSpan;
        if (unread.Length >= FrameHeader.Size)
        {
            header = FrameHeader.Read(unread);
        }
        else
        {
            Span<byte> bytes = stackalloc byte[FrameHeader.Size];
            if (!reader.TryCopyTo(bytes))
            {
                header = default;
                return false;
            }
            header = FrameHeader.Read(bytes);
        }
        // RFC 9113 §4.2: judged on the header alone, so an oversized frame is refused before its payload is awaited.
        if (header.Length > maxFrameSize) Http2RejectException.ThrowConnectionError(Http2RejectReason.FrameTooLarge, header.StreamId);
        return true;
    }

    /// <summary>
    /// The payload without pad length byte and padding (RFC 9113 §6.1, §6.2, §6.6), checked to leave at least
    /// <paramref name="fixedLength"/> bytes of fixed fields.
    /// </summary>
    private static ReadOnlySequence<byte> Unpad(in FrameHeader header, in ReadOnlySequence<byte> payload, int fixedLength)
    {
        if (!header.HasFlag(FrameFlags.Padded))
        {
            if (header.Length < fixedLength) Http2RejectException.ThrowConnectionError(Http2RejectReason.PayloadTooShort, header.StreamId);
            return payload;
        }
        if (header.Length < 1 + fixedLength) Http2RejectException.ThrowConnectionError(Http2RejectReason.PayloadTooShort, header.StreamId);
        int padLength = payload.FirstSpan.Length > 0 ? payload.FirstSpan[0] : FirstByte(payload);
        // "If the length of the padding is the length of the frame payload or greater": the pad length byte and the
        // fixed fields belong to the payload but not to what the padding may eat.
        if (padLength > header.Length - 1 - fixedLength) Http2RejectException.ThrowConnectionError(Http2RejectReason.PaddingTooLong, header.StreamId);
        return payload.Slice(1, header.Length - 1 - padLength);
    }

    private static byte FirstByte(in ReadOnlySequence<byte> payload)
    {
        // A pipe can hand over a sequence whose first segment is empty.
        var reader = new SequenceReader<byte>(payload);
        reader.TryPeek(out byte first);
        return first;
    }

    /// <summary>The first <c>scratch.Length</c> bytes of <paramref name="payload"/>, contiguous: in place when they are, else copied.</summary>
    private static ReadOnlySpan<byte> Fixed(in ReadOnlySequence<byte> payload, Span<byte> scratch)
    {
        ReadOnlySpan<byte> first = payload.FirstSpan;
        if (first.Length >= scratch.Length) return first[..scratch.Length];
        payload.Slice(0, scratch.Length).CopyTo(scratch);
        return scratch;
    }

    private static void RequireStream(in FrameHeader header)
    {
        if (header.StreamId == 0) Http2RejectException.ThrowConnectionError(Http2RejectReason.StreamIdRequired);
    }

    private static void RequireConnection(in FrameHeader header)
    {
        if (header.StreamId != 0) Http2RejectException.ThrowConnectionError(Http2RejectReason.StreamIdNotAllowed, header.StreamId);
    }
}
