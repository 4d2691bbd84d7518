using System.Buffers;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http1.Sequences;
using static Proxy.Protocols.Tests.Http2.FrameHarness;

namespace Proxy.Protocols.Tests.Http2;

/// <summary>The writer against the reader: every frame type and flag written, then read back in every delivery shape.</summary>
public class FrameWriterTests
{
    private const int MaxFrame = FrameHeader.DefaultMaxFrameSize;

    private static string RoundTrip(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return ReadsAllWays(writer.WrittenSpan.ToArray(), FrameHeader.MaxLength);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteData_SmallPayload_OneFrameWithEndStreamAsAsked(bool endStream)
    {
        Assert.Equal($"DATA s=1 end={endStream} fc=5 data=hello", RoundTrip(w => FrameWriter.WriteData(w, 1, Bytes("hello"), endStream, MaxFrame)));
    }

    [Fact]
    public void WriteData_EmptyWithEndStream_OneEmptyFrame()
    {
        Assert.Equal("DATA s=1 end=True fc=0 data=", RoundTrip(w => FrameWriter.WriteData(w, 1, ReadOnlySpan<byte>.Empty, true, MaxFrame)));
    }

    [Fact]
    public void WriteData_LargerThanMaxFrameSize_SplitWithEndStreamOnTheLastOnly()
    {
        byte[] data = new byte[2 * MaxFrame + 1];
        Random.Shared.NextBytes(data);
        var writer = new ArrayBufferWriter<byte>();

        FrameWriter.WriteData(writer, 9, data, endStream: true, MaxFrame);

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(writer.WrittenMemory));
        var received = new List<byte>();
        var ends = new List<bool>();
        while (FrameReader.TryReadFrame(ref reader, MaxFrame, out FrameHeader header, out ReadOnlySequence<byte> payload))
        {
            DataFrame frame = FrameReader.ReadData(header, payload);
            Assert.True(header.Length <= MaxFrame);
            received.AddRange(frame.Data.ToArray());
            ends.Add(frame.EndStream);
        }
        Assert.Equal([false, false, true], ends);
        Assert.Equal(data, received.ToArray());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void WriteData_MultiSegmentSequence_SameBytesAsFromASpan()
    {
        byte[] data = new byte[MaxFrame + 100];
        Random.Shared.NextBytes(data);
        var fromSpan = new ArrayBufferWriter<byte>();
        var fromSequence = new ArrayBufferWriter<byte>();

        FrameWriter.WriteData(fromSpan, 3, data, endStream: false, MaxFrame);
        FrameWriter.WriteData(fromSequence, 3, Create(data[..10], data[10..MaxFrame], data[MaxFrame..]), endStream: false, MaxFrame);

        Assert.Equal(fromSpan.WrittenSpan.ToArray(), fromSequence.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteHeaders_BlockFits_OneFrameWithEndHeaders(bool endStream)
    {
        Assert.Equal($"HEADERS s=1 end={endStream} endHeaders=True priority=- error=None block=\x82\x84",
            RoundTrip(w => FrameWriter.WriteHeaders(w, 1, Bytes("\x82\x84"), endStream, MaxFrame)));
    }

    [Fact]
    public void WriteHeaders_EmptyBlock_OneEmptyFrameWithEndHeaders()
    {
        Assert.Equal("HEADERS s=1 end=True endHeaders=True priority=- error=None block=", RoundTrip(w => FrameWriter.WriteHeaders(w, 1, [], true, MaxFrame)));
    }

    [Fact]
    public void WriteHeaders_BlockLargerThanMaxFrameSize_SplitIntoContinuations()
    {
        string block = new string('a', MaxFrame) + new string('b', MaxFrame) + "c";

        string frames = RoundTrip(w => FrameWriter.WriteHeaders(w, 5, Bytes(block), endStream: true, MaxFrame));

        Assert.Equal(
            $"HEADERS s=5 end=True endHeaders=False priority=- error=None block={new string('a', MaxFrame)}\n" +
            $"CONTINUATION s=5 endHeaders=False block={new string('b', MaxFrame)}\n" +
            "CONTINUATION s=5 endHeaders=True block=c", frames);
    }

    [Fact]
    public void WriteHeaders_ExactlyMaxFrameSize_NoContinuation()
    {
        string frames = RoundTrip(w => FrameWriter.WriteHeaders(w, 5, new byte[MaxFrame], endStream: false, MaxFrame));

        Assert.Single(frames.Split('\n'));
        Assert.StartsWith("HEADERS s=5 end=False endHeaders=True", frames);
    }

    [Fact]
    public void WriteHeaders_WithPriority_PriorityCountsAgainstTheFirstFrame()
    {
        var priority = new PriorityFields(3, Exclusive: true, Weight: 200);
        string block = new string('x', MaxFrame - 5) + "y";

        string frames = RoundTrip(w => FrameWriter.WriteHeaders(w, 7, Bytes(block), endStream: false, MaxFrame, priority));

        Assert.Equal(
            $"HEADERS s=7 end=False endHeaders=False priority={priority} error=None block={new string('x', MaxFrame - 5)}\n" +
            "CONTINUATION s=7 endHeaders=True block=y", frames);
    }

    [Fact]
    public void WritePushPromise_LargeBlock_PromisedIdThenContinuation()
    {
        string block = new string('p', MaxFrame - 4) + "q";

        Assert.Equal(
            $"PUSH_PROMISE s=1 promised=2 endHeaders=False block={new string('p', MaxFrame - 4)}\nCONTINUATION s=1 endHeaders=True block=q",
            RoundTrip(w => FrameWriter.WritePushPromise(w, 1, 2, Bytes(block), MaxFrame)));
    }

    [Fact]
    public void WriteContinuation_EitherFlag_RoundTrips()
    {
        Assert.Equal("CONTINUATION s=3 endHeaders=False block=ab\nCONTINUATION s=3 endHeaders=True block=",
            RoundTrip(w =>
            {
                FrameWriter.WriteContinuation(w, 3, Bytes("ab"), endHeaders: false);
                FrameWriter.WriteContinuation(w, 3, [], endHeaders: true);
            }));
    }

    [Fact]
    public void WriteControlFrames_EveryTypeAndFlag_RoundTrip()
    {
        string frames = RoundTrip(w =>
        {
            FrameWriter.WritePriority(w, 3, new PriorityFields(1, Exclusive: false, Weight: 15));
            FrameWriter.WriteRstStream(w, 3, Http2ErrorCode.RefusedStream);
            FrameWriter.WriteSettings(w, [new(Http2SettingId.MaxConcurrentStreams, 100), new(Http2SettingId.InitialWindowSize, 1 << 20), new(Http2SettingId.EnablePush, 0)]);
            FrameWriter.WriteSettings(w, []);
            FrameWriter.WriteSettingsAck(w);
            FrameWriter.WritePing(w, 0x0102030405060708, ack: false);
            FrameWriter.WritePing(w, ulong.MaxValue, ack: true);
            FrameWriter.WriteGoAway(w, 7, Http2ErrorCode.NoError, []);
            FrameWriter.WriteGoAway(w, FrameHeader.MaxStreamId, Http2ErrorCode.EnhanceYourCalm, Bytes("flood"));
            FrameWriter.WriteWindowUpdate(w, 0, FlowWindow.MaxSize);
            FrameWriter.WriteWindowUpdate(w, 5, 1);
        });

        Assert.Equal(
            "PRIORITY s=3 PriorityFields { StreamDependency = 1, Exclusive = False, Weight = 15 }\n" +
            "RST_STREAM s=3 RefusedStream\n" +
            "SETTINGS ack=False count=3 MaxConcurrentStreams=100 InitialWindowSize=1048576 EnablePush=0\n" +
            "SETTINGS ack=False count=0\n" +
            "SETTINGS ack=True count=0\n" +
            "PING ack=False data=0102030405060708\n" +
            "PING ack=True data=ffffffffffffffff\n" +
            "GOAWAY last=7 NoError debug=\n" +
            "GOAWAY last=2147483647 EnhanceYourCalm debug=flood\n" +
            "WINDOW_UPDATE s=0 +2147483647\n" +
            "WINDOW_UPDATE s=5 +1", frames);
    }

    [Fact]
    public void WriteFrameHeader_ThenPayload_SameAsAWholeFrame()
    {
        var whole = new ArrayBufferWriter<byte>();
        var parts = new ArrayBufferWriter<byte>();

        FrameWriter.WriteData(whole, 1, Bytes("abc"), endStream: true, MaxFrame);
        FrameWriter.WriteFrameHeader(parts, new FrameHeader(3, FrameType.Data, FrameFlags.EndStream, 1));
        parts.Write(Bytes("abc"));

        Assert.Equal(whole.WrittenSpan.ToArray(), parts.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteStreamFrames_StreamZero_ThrowsArgumentOutOfRange()
    {
        var w = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteData(w, 0, [], true, MaxFrame));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteHeaders(w, 0, [], true, MaxFrame));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteRstStream(w, 0, Http2ErrorCode.Cancel));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteWindowUpdate(w, 1, 0));
    }

    [Theory]
    [InlineData(FrameHeader.DefaultMaxFrameSize - 1)]
    [InlineData(FrameHeader.MaxLength + 1)]
    public void WriteData_MaxFrameSizeOutsideRfcRange_ThrowsArgumentOutOfRange(int maxFrameSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteData(new ArrayBufferWriter<byte>(), 1, [1], true, maxFrameSize));
    }
}
