using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http2;

/// <summary>Builds raw frames and reads them back through <see cref="FrameReader"/> in every way a pipe can deliver them.</summary>
internal static class FrameHarness
{
    /// <summary>A frame's bytes: the 9-byte header (length from the payload) and the payload.</summary>
    public static byte[] Frame(FrameType type, FrameFlags flags, int streamId, params byte[] payload) =>
        Frame((byte)type, (byte)flags, (uint)streamId, payload);

    /// <summary>A frame's bytes with any type byte and a raw 32-bit stream field (so the reserved bit can be set).</summary>
    public static byte[] Frame(byte type, byte flags, uint streamField, byte[] payload)
    {
        var bytes = new byte[FrameHeader.Size + payload.Length];
        bytes[0] = (byte)(payload.Length >> 16);
        bytes[1] = (byte)(payload.Length >> 8);
        bytes[2] = (byte)payload.Length;
        bytes[3] = type;
        bytes[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), streamField);
        payload.CopyTo(bytes, FrameHeader.Size);
        return bytes;
    }

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Setting(Http2SettingId id, uint value)
    {
        var bytes = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)id);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), value);
        return bytes;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>
    /// Reads every complete frame at the start of <paramref name="input"/>, parsing each payload with its type's parser,
    /// and describes them one per line; <paramref name="consumed"/> is where the reader stopped.
    /// </summary>
    public static string ReadAll(in ReadOnlySequence<byte> input, int maxFrameSize, out long consumed)
    {
        var reader = new SequenceReader<byte>(input);
        var lines = new List<string>();
        while (FrameReader.TryReadFrame(ref reader, maxFrameSize, out FrameHeader header, out ReadOnlySequence<byte> payload))
        {
            Assert.Equal(header.Length, payload.Length);
            lines.Add(Describe(header, payload));
        }
        consumed = reader.Consumed;
        return string.Join("\n", lines);
    }

    /// <summary>Reads as a connection would: bytes arrive <paramref name="arrival"/> at a time, consumed bytes are released.</summary>
    public static string ReadArriving(byte[] bytes, int arrival, int maxFrameSize)
    {
        var lines = new List<string>();
        int consumed = 0;
        for (int available = Math.Min(arrival, bytes.Length); ; available = Math.Min(available + arrival, bytes.Length))
        {
            string part = ReadAll(new ReadOnlySequence<byte>(bytes, consumed, available - consumed), maxFrameSize, out long used);
            if (part.Length > 0) lines.Add(part);
            consumed += (int)used;
            if (available == bytes.Length) return string.Join("\n", lines);
        }
    }

    /// <summary>Asserts that every delivery of <paramref name="bytes"/> reads and parses the same frames, all of them, and returns their description.</summary>
    public static string ReadsAllWays(byte[] bytes, int maxFrameSize = FrameHeader.DefaultMaxFrameSize)
    {
        string? expected = null;
        foreach ((string shape, ReadOnlySequence<byte> input) in Shapes(bytes))
        {
            string actual = ReadAll(input, maxFrameSize, out long consumed);
            Assert.True(consumed == bytes.Length, $"{shape}: consumed {consumed} of {bytes.Length}");
            expected ??= actual;
            Assert.True(expected == actual, $"{shape}:\nexpected {expected}\nactual   {actual}");
        }
        foreach (int arrival in new[] { 1, 2, 5, 9, 10 })
        {
            string actual = ReadArriving(bytes, arrival, maxFrameSize);
            Assert.True(expected == actual, $"arriving {arrival} at a time:\nexpected {expected}\nactual   {actual}");
        }
        return expected!;
    }

    /// <summary>
    /// <see cref="Http1.Sequences.AllShapes"/> for inputs up to 2 KiB; for larger ones (frames of 16 KiB) the same shapes
    /// with the split offsets sampled: every offset near either end and near each 16 KiB frame boundary, and every 509th.
    /// </summary>
    public static IEnumerable<(string Shape, ReadOnlySequence<byte> Sequence)> Shapes(byte[] bytes)
    {
        if (bytes.Length <= 2048)
        {
            foreach (var shape in AllShapes(bytes)) yield return shape;
            yield break;
        }
        yield return ("whole", new ReadOnlySequence<byte>(bytes));
        yield return ("one byte per segment", OneBytePerSegment(bytes));
        const int Frame = FrameHeader.Size + FrameHeader.DefaultMaxFrameSize;
        for (int offset = 0; offset <= bytes.Length; offset++)
        {
            int fromBoundary = Math.Min(offset % Frame, Frame - offset % Frame);
            if (offset < 40 || bytes.Length - offset < 40 || fromBoundary < 16 || offset % 509 == 0)
                yield return ($"split at {offset}", SplitAt(bytes, offset));
        }
    }

    /// <summary>Asserts that every delivery of <paramref name="bytes"/> is rejected the same way, and returns the rejection.</summary>
    public static (Http2RejectReason Reason, Http2ErrorScope Scope, int StreamId) RejectsAllWays(byte[] bytes, int maxFrameSize = FrameHeader.DefaultMaxFrameSize)
    {
        (Http2RejectReason, Http2ErrorScope, int)? expected = null;
        foreach ((string shape, ReadOnlySequence<byte> input) in Shapes(bytes))
        {
            var actual = RejectionOf(() => ReadAll(input, maxFrameSize, out _), shape);
            expected ??= actual;
            Assert.True(expected == actual, $"{shape}: {actual}, whole input: {expected}");
        }
        foreach (int arrival in new[] { 1, 3, 9 })
        {
            var actual = RejectionOf(() => ReadArriving(bytes, arrival, maxFrameSize), $"arriving {arrival}");
            Assert.True(expected == actual, $"arriving {arrival} at a time: {actual}, whole input: {expected}");
        }
        return expected!.Value;
    }

    public static (Http2RejectReason, Http2ErrorScope, int) RejectionOf(Func<string> read, string shape)
    {
        try
        {
            string frames = read();
            Assert.Fail($"{shape}: not rejected, read:\n{frames}");
            return default;
        }
        catch (Http2RejectException e)
        {
            return (e.Reason, e.Scope, e.StreamId);
        }
    }

    /// <summary>One line per frame, through the parser of its type; the same frame reads the same whatever its segments.</summary>
    public static string Describe(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.Data:
                DataFrame data = FrameReader.ReadData(header, payload);
                return $"DATA s={data.StreamId} end={data.EndStream} fc={data.FlowControlledLength} data={Text(data.Data)}";
            case FrameType.Headers:
                HeadersFrame headers = FrameReader.ReadHeaders(header, payload);
                string priority = headers.HasPriority ? headers.Priority.ToString() : "-";
                return $"HEADERS s={headers.StreamId} end={headers.EndStream} endHeaders={headers.EndHeaders} priority={priority} error={headers.StreamError} block={Text(headers.FieldBlockFragment)}";
            case FrameType.Priority:
                return $"PRIORITY s={header.StreamId} {FrameReader.ReadPriority(header, payload)}";
            case FrameType.RstStream:
                return $"RST_STREAM s={header.StreamId} {FrameReader.ReadRstStream(header, payload)}";
            case FrameType.Settings:
                SettingsFrame settings = FrameReader.ReadSettings(header, payload);
                var list = new StringBuilder();
                foreach (Http2Setting setting in settings) list.Append($" {setting.Id}={setting.Value}");
                return $"SETTINGS ack={settings.IsAck} count={settings.Count}{list}";
            case FrameType.PushPromise:
                PushPromiseFrame promise = FrameReader.ReadPushPromise(header, payload);
                return $"PUSH_PROMISE s={promise.StreamId} promised={promise.PromisedStreamId} endHeaders={promise.EndHeaders} block={Text(promise.FieldBlockFragment)}";
            case FrameType.Ping:
                PingFrame ping = FrameReader.ReadPing(header, payload);
                return $"PING ack={ping.IsAck} data={ping.OpaqueData:x16}";
            case FrameType.GoAway:
                GoAwayFrame goAway = FrameReader.ReadGoAway(header, payload);
                return $"GOAWAY last={goAway.LastStreamId} {goAway.ErrorCode} debug={Text(goAway.DebugData)}";
            case FrameType.WindowUpdate:
                return $"WINDOW_UPDATE s={header.StreamId} +{FrameReader.ReadWindowUpdate(header, payload)}";
            case FrameType.Continuation:
                return $"CONTINUATION s={header.StreamId} endHeaders={header.HasFlag(FrameFlags.EndHeaders)} block={Text(FrameReader.ReadContinuation(header, payload))}";
            default:
                return $"UNKNOWN type={(byte)header.Type} flags={(byte)header.Flags} s={header.StreamId} length={header.Length}";
        }
    }
}
