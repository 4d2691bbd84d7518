using System.Buffers;
using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>A decoded chunked body: the data, the trailer lines, and how many bytes the body took.</summary>
internal sealed record DecodedBody(string Data, string Trailers, long Consumed);

/// <summary>Drives <see cref="ChunkedDecoder"/> over every way a pipe can deliver a body, and checks they agree.</summary>
internal static class ChunkedHarness
{
    /// <summary>Decodes the body at the start of <paramref name="input"/>; null when it is incomplete.</summary>
    public static DecodedBody? Decode(in ReadOnlySequence<byte> input, ChunkedLimits limits)
    {
        var decoder = new ChunkedDecoder(limits);
        var reader = new SequenceReader<byte>(input);
        var data = new List<byte>();
        var trailers = new List<string>();
        while (true)
        {
            switch (decoder.Decode(ref reader, out ReadOnlySequence<byte> slice))
            {
                case ChunkedDecodeStatus.Data:
                    Assert.False(slice.IsEmpty, "empty data slice");
                    data.AddRange(slice.ToArray());
                    break;
                case ChunkedDecodeStatus.TrailerField:
                    trailers.Add(Text(slice));
                    break;
                case ChunkedDecodeStatus.Done:
                    Assert.True(decoder.IsFinished);
                    return new DecodedBody(Text(data.ToArray()), string.Join("\n", trailers), reader.Consumed);
                default:
                    Assert.False(decoder.IsFinished);
                    return null;
            }
        }
    }

    /// <summary>
    /// Decodes as a connection would: bytes arrive <paramref name="arrival"/> at a time, each call sees what is
    /// buffered and unconsumed, and whatever the decoder consumed is released before more arrives.
    /// </summary>
    public static DecodedBody? DecodeArriving(byte[] bytes, int arrival, ChunkedLimits limits)
    {
        var decoder = new ChunkedDecoder(limits);
        var data = new List<byte>();
        var trailers = new List<string>();
        int consumed = 0;
        for (int available = Math.Min(arrival, bytes.Length); ; available = Math.Min(available + arrival, bytes.Length))
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, consumed, available - consumed));
            while (true)
            {
                ChunkedDecodeStatus status = decoder.Decode(ref reader, out ReadOnlySequence<byte> slice);
                if (status == ChunkedDecodeStatus.Data) data.AddRange(slice.ToArray());
                else if (status == ChunkedDecodeStatus.TrailerField) trailers.Add(Text(slice));
                else if (status == ChunkedDecodeStatus.Done) return new DecodedBody(Text(data.ToArray()), string.Join("\n", trailers), consumed + reader.Consumed);
                else break;
            }
            consumed += (int)reader.Consumed;
            if (available == bytes.Length) return null;
        }
    }

    /// <summary>Asserts every delivery of <paramref name="text"/> decodes to the same complete body, and returns it.</summary>
    public static DecodedBody DecodesAllWays(string text, ChunkedLimits? limits = null)
    {
        ChunkedLimits chosen = limits ?? ChunkedLimits.Default;
        byte[] bytes = Bytes(text);
        DecodedBody? expected = null;
        foreach ((string shape, ReadOnlySequence<byte> input) in AllShapes(bytes))
        {
            DecodedBody? actual = Decode(input, chosen);
            Assert.True(actual is not null, $"{shape}: incomplete");
            expected ??= actual;
            Assert.True(expected == actual, $"{shape}:\nexpected {expected}\nactual   {actual}");
        }
        foreach (int arrival in new[] { 1, 2, 3, 7 })
        {
            DecodedBody? actual = DecodeArriving(bytes, arrival, chosen);
            Assert.True(expected == actual, $"arriving {arrival} at a time:\nexpected {expected}\nactual   {actual}");
        }
        return expected!;
    }

    /// <summary>Asserts every delivery of <paramref name="text"/> is rejected for the same reason, and returns it.</summary>
    public static RejectReason RejectsAllWays(string text, ChunkedLimits? limits = null)
    {
        ChunkedLimits chosen = limits ?? ChunkedLimits.Default;
        byte[] bytes = Bytes(text);
        RejectReason? expected = null;
        foreach ((string shape, ReadOnlySequence<byte> input) in AllShapes(bytes))
        {
            RejectReason reason = RejectionOf(() => Decode(input, chosen), shape);
            expected ??= reason;
            Assert.True(expected == reason, $"{shape}: rejected for {reason}, whole input for {expected}");
        }
        foreach (int arrival in new[] { 1, 2, 3 })
        {
            RejectReason reason = RejectionOf(() => DecodeArriving(bytes, arrival, chosen), $"arriving {arrival} at a time");
            Assert.True(expected == reason, $"arriving {arrival} at a time: rejected for {reason}, whole input for {expected}");
        }
        return expected!.Value;
    }

    private static RejectReason RejectionOf(Func<DecodedBody?> decode, string shape)
    {
        try
        {
            DecodedBody? body = decode();
            Assert.Fail($"{shape}: not rejected ({(body is null ? "incomplete" : body.ToString())})");
            return RejectReason.None;
        }
        catch (HttpRejectException e)
        {
            return e.Reason;
        }
    }
}
