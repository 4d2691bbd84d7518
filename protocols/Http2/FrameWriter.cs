using System.Buffers;
using System.Buffers.Binary;

namespace Proxy.Protocols.Http2;

/// <summary>
/// Writes HTTP/2 frames (RFC 9113 §6) into an <see cref="IBufferWriter{T}"/>: every frame type, a field block split
/// into HEADERS (or PUSH_PROMISE) and CONTINUATION frames by the peer's SETTINGS_MAX_FRAME_SIZE, and content split into
/// DATA frames by the same limit. Stateless; thread-safe as long as each writer is used by one thread; allocates
/// nothing (every write is <see cref="IBufferWriter{T}.GetSpan"/> plus <see cref="IBufferWriter{T}.Advance"/>).
/// </summary>
/// <remarks>
/// Never pads: padding hides lengths, which a proxy has no use for, and costs flow-control window. Does not check flow
/// control: the caller writes only what the windows allow (<see cref="FlowWindow"/>). Arguments that no peer could have
/// caused (a stream id of 0 on a stream frame, a maximum frame size outside the RFC's range) throw
/// <see cref="ArgumentOutOfRangeException"/>: they are bugs.
/// </remarks>
public static class FrameWriter
{
    /// <summary>Writes a frame header alone, for a caller that writes the payload itself (e.g. DATA straight from a pipe).</summary>
    public static void WriteFrameHeader(IBufferWriter<byte> output, in FrameHeader header)
    {
        ArgumentNullException.ThrowIfNull(output);
        header.WriteTo(output.GetSpan(FrameHeader.Size));
        output.Advance(FrameHeader.Size);
    }

    /// <summary>
    /// Writes <paramref name="data"/> as DATA frames of at most <paramref name="maxFrameSize"/> bytes each, END_STREAM on
    /// the last when <paramref name="endStream"/>. Empty data writes one empty frame (useful only to end the stream).
    /// </summary>
    public static void WriteData(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> data, bool endStream, int maxFrameSize)
    {
        CheckStream(output, streamId);
        CheckMaxFrameSize(maxFrameSize);
        do
        {
            int length = Math.Min(data.Length, maxFrameSize);
            bool last = length == data.Length;
            FrameFlags flags = last && endStream ? FrameFlags.EndStream : FrameFlags.None;
            WriteFrame(output, new FrameHeader(length, FrameType.Data, flags, streamId), data[..length]);
            data = data[length..];
        }
        while (!data.IsEmpty);
    }

    /// <summary>As <see cref="WriteData(IBufferWriter{byte}, int, ReadOnlySpan{byte}, bool, int)"/>, from a possibly multi-segment sequence.</summary>
    public static void WriteData(IBufferWriter<byte> output, int streamId, in ReadOnlySequence<byte> data, bool endStream, int maxFrameSize)
    {
        CheckStream(output, streamId);
        CheckMaxFrameSize(maxFrameSize);
        ReadOnlySequence<byte> rest = data;
        do
        {
            int length = (int)Math.Min(rest.Length, maxFrameSize);
            bool last = length == rest.Length;
            FrameFlags flags = last && endStream ? FrameFlags.EndStream : FrameFlags.None;
            WriteFrameHeader(output, new FrameHeader(length, FrameType.Data, flags, streamId));
            ReadOnlySequence<byte> chunk = rest.Slice(0, length);
            foreach (ReadOnlyMemory<byte> segment in chunk) CopyInto(output, segment.Span);
            rest = rest.Slice(length);
        }
        while (!rest.IsEmpty);
    }

    /// <summary>
    /// Writes an encoded field block as one HEADERS frame and as many CONTINUATION frames as
    /// <paramref name="maxFrameSize"/> requires (RFC 9113 §4.3), END_HEADERS on the last; END_STREAM on the HEADERS
    /// frame when <paramref name="endStream"/> (for trailers, or a message without content).
    /// </summary>
    public static void WriteHeaders(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> fieldBlock, bool endStream, int maxFrameSize)
    {
        CheckStream(output, streamId);
        CheckMaxFrameSize(maxFrameSize);
        int first = Math.Min(fieldBlock.Length, maxFrameSize);
        FrameFlags flags = (endStream ? FrameFlags.EndStream : FrameFlags.None) | (first == fieldBlock.Length ? FrameFlags.EndHeaders : FrameFlags.None);
        WriteFrame(output, new FrameHeader(first, FrameType.Headers, flags, streamId), fieldBlock[..first]);
        WriteContinuations(output, streamId, fieldBlock[first..], maxFrameSize);
    }

    /// <summary>As <see cref="WriteHeaders(IBufferWriter{byte}, int, ReadOnlySpan{byte}, bool, int)"/>, with the PRIORITY flag and <paramref name="priority"/> in the HEADERS frame.</summary>
    public static void WriteHeaders(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> fieldBlock, bool endStream, int maxFrameSize, PriorityFields priority)
    {
        CheckStream(output, streamId);
        CheckMaxFrameSize(maxFrameSize);
        int first = Math.Min(fieldBlock.Length, maxFrameSize - PriorityFields.Size);
        FrameFlags flags = FrameFlags.Priority | (endStream ? FrameFlags.EndStream : FrameFlags.None)
            | (first == fieldBlock.Length ? FrameFlags.EndHeaders : FrameFlags.None);
        Span<byte> span = output.GetSpan(FrameHeader.Size + PriorityFields.Size);
        new FrameHeader(PriorityFields.Size + first, FrameType.Headers, flags, streamId).WriteTo(span);
        priority.WriteTo(span[FrameHeader.Size..]);
        output.Advance(FrameHeader.Size + PriorityFields.Size);
        output.Write(fieldBlock[..first]);
        WriteContinuations(output, streamId, fieldBlock[first..], maxFrameSize);
    }

    /// <summary>
    /// Writes a PUSH_PROMISE frame reserving <paramref name="promisedStreamId"/>, and CONTINUATION frames for what of
    /// <paramref name="fieldBlock"/> does not fit (RFC 9113 §6.6).
    /// </summary>
    public static void WritePushPromise(IBufferWriter<byte> output, int streamId, int promisedStreamId, ReadOnlySpan<byte> fieldBlock, int maxFrameSize)
    {
        CheckStream(output, streamId);
        CheckMaxFrameSize(maxFrameSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promisedStreamId);
        int first = Math.Min(fieldBlock.Length, maxFrameSize - 4);
        FrameFlags flags = first == fieldBlock.Length ? FrameFlags.EndHeaders : FrameFlags.None;
        Span<byte> span = output.GetSpan(FrameHeader.Size + 4);
        new FrameHeader(4 + first, FrameType.PushPromise, flags, streamId).WriteTo(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], (uint)promisedStreamId);
        output.Advance(FrameHeader.Size + 4);
        output.Write(fieldBlock[..first]);
        WriteContinuations(output, streamId, fieldBlock[first..], maxFrameSize);
    }

    /// <summary>Writes one CONTINUATION frame holding <paramref name="fragment"/>, which must fit the peer's maximum frame size.</summary>
    public static void WriteContinuation(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        CheckStream(output, streamId);
        WriteFrame(output, new FrameHeader(fragment.Length, FrameType.Continuation, endHeaders ? FrameFlags.EndHeaders : FrameFlags.None, streamId), fragment);
    }

    /// <summary>Writes a PRIORITY frame (RFC 9113 §6.3).</summary>
    public static void WritePriority(IBufferWriter<byte> output, int streamId, PriorityFields priority)
    {
        CheckStream(output, streamId);
        Span<byte> span = output.GetSpan(FrameHeader.Size + PriorityFields.Size);
        new FrameHeader(PriorityFields.Size, FrameType.Priority, FrameFlags.None, streamId).WriteTo(span);
        priority.WriteTo(span[FrameHeader.Size..]);
        output.Advance(FrameHeader.Size + PriorityFields.Size);
    }

    /// <summary>Writes an RST_STREAM frame (RFC 9113 §6.4).</summary>
    public static void WriteRstStream(IBufferWriter<byte> output, int streamId, Http2ErrorCode errorCode)
    {
        CheckStream(output, streamId);
        Span<byte> span = output.GetSpan(FrameHeader.Size + 4);
        new FrameHeader(4, FrameType.RstStream, FrameFlags.None, streamId).WriteTo(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], (uint)errorCode);
        output.Advance(FrameHeader.Size + 4);
    }

    /// <summary>Writes a SETTINGS frame with <paramref name="settings"/> in order (RFC 9113 §6.5); values are not checked.</summary>
    public static void WriteSettings(IBufferWriter<byte> output, ReadOnlySpan<Http2Setting> settings)
    {
        ArgumentNullException.ThrowIfNull(output);
        int length = settings.Length * Http2Setting.Size;
        Span<byte> span = output.GetSpan(FrameHeader.Size + length);
        new FrameHeader(length, FrameType.Settings, FrameFlags.None, 0).WriteTo(span);
        Span<byte> entry = span[FrameHeader.Size..];
        foreach (Http2Setting setting in settings)
        {
            BinaryPrimitives.WriteUInt16BigEndian(entry, (ushort)setting.Id);
            BinaryPrimitives.WriteUInt32BigEndian(entry[2..], setting.Value);
            entry = entry[Http2Setting.Size..];
        }
        output.Advance(FrameHeader.Size + length);
    }

    /// <summary>Writes an empty SETTINGS frame with ACK (RFC 9113 §6.5.3).</summary>
    public static void WriteSettingsAck(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteFrameHeader(output, new FrameHeader(0, FrameType.Settings, FrameFlags.Ack, 0));
    }

    /// <summary>Writes a PING frame (RFC 9113 §6.7); an answer echoes the received <paramref name="opaqueData"/> with <paramref name="ack"/>.</summary>
    public static void WritePing(IBufferWriter<byte> output, ulong opaqueData, bool ack)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(FrameHeader.Size + PingFrame.PayloadSize);
        new FrameHeader(PingFrame.PayloadSize, FrameType.Ping, ack ? FrameFlags.Ack : FrameFlags.None, 0).WriteTo(span);
        BinaryPrimitives.WriteUInt64BigEndian(span[FrameHeader.Size..], opaqueData);
        output.Advance(FrameHeader.Size + PingFrame.PayloadSize);
    }

    /// <summary>Writes a GOAWAY frame (RFC 9113 §6.8); <paramref name="debugData"/> may be empty.</summary>
    public static void WriteGoAway(IBufferWriter<byte> output, int lastStreamId, Http2ErrorCode errorCode, ReadOnlySpan<byte> debugData)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(lastStreamId);
        Span<byte> span = output.GetSpan(FrameHeader.Size + GoAwayFrame.MinPayloadSize);
        new FrameHeader(GoAwayFrame.MinPayloadSize + debugData.Length, FrameType.GoAway, FrameFlags.None, 0).WriteTo(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(span[(FrameHeader.Size + 4)..], (uint)errorCode);
        output.Advance(FrameHeader.Size + GoAwayFrame.MinPayloadSize);
        output.Write(debugData);
    }

    /// <summary>Writes a WINDOW_UPDATE frame (RFC 9113 §6.9) on a stream, or on the connection when <paramref name="streamId"/> is 0; the increment must be 1..2^31-1.</summary>
    public static void WriteWindowUpdate(IBufferWriter<byte> output, int streamId, int increment)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(streamId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(increment);
        Span<byte> span = output.GetSpan(FrameHeader.Size + 4);
        new FrameHeader(4, FrameType.WindowUpdate, FrameFlags.None, streamId).WriteTo(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], (uint)increment);
        output.Advance(FrameHeader.Size + 4);
    }

    private static void WriteContinuations(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> rest, int maxFrameSize)
    {
        while (!rest.IsEmpty)
        {
            int length = Math.Min(rest.Length, maxFrameSize);
            FrameFlags flags = length == rest.Length ? FrameFlags.EndHeaders : FrameFlags.None;
            WriteFrame(output, new FrameHeader(length, FrameType.Continuation, flags, streamId), rest[..length]);
            rest = rest[length..];
        }
    }

    // Copies a payload in the spans the writer offers unasked. BuffersExtensions.Write asks each time for a span as
    // large as the rest (up to a whole 16 KiB frame): more than a block of the pool the engine's pipes draw on, so a
    // pipe would take each such span from ArrayPool instead (engine/Connections/BlockPool.cs says why that allocates).
    private static void CopyInto(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Span<byte> span = output.GetSpan();
            int length = Math.Min(span.Length, bytes.Length);
            bytes[..length].CopyTo(span);
            output.Advance(length);
            bytes = bytes[length..];
        }
    }

    private static void WriteFrame(IBufferWriter<byte> output, in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        // One span for small frames (the usual case); the payload of a large one is copied in as many spans as the writer gives.
        if (payload.Length <= 4096 - FrameHeader.Size)
        {
            Span<byte> span = output.GetSpan(FrameHeader.Size + payload.Length);
            header.WriteTo(span);
            payload.CopyTo(span[FrameHeader.Size..]);
            output.Advance(FrameHeader.Size + payload.Length);
            return;
        }
        WriteFrameHeader(output, header);
        CopyInto(output, payload);
    }

    private static void CheckStream(IBufferWriter<byte> output, int streamId)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
    }

    private static void CheckMaxFrameSize(int maxFrameSize)
    {
        // The peer's SETTINGS_MAX_FRAME_SIZE, which Http2Settings.Validate keeps within the RFC's range.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSize, FrameHeader.DefaultMaxFrameSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameSize, FrameHeader.MaxLength);
    }
}
