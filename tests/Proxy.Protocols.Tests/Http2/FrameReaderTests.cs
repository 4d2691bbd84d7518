using System.Buffers;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http1.Sequences;
using static Proxy.Protocols.Tests.Http2.FrameHarness;

namespace Proxy.Protocols.Tests.Http2;

public class FrameReaderTests
{
    private const Http2ErrorScope Connection = Http2ErrorScope.Connection;
    private const Http2ErrorScope Stream = Http2ErrorScope.Stream;

    // ---- frame size, before the payload ------------------------------------------------------------------

    [Fact]
    public void TryReadFrame_LengthAtMaxFrameSize_Accepted()
    {
        byte[] bytes = Frame(FrameType.Data, FrameFlags.None, 1, new byte[FrameHeader.DefaultMaxFrameSize]);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.True(FrameReader.TryReadFrame(ref reader, FrameHeader.DefaultMaxFrameSize, out FrameHeader header, out ReadOnlySequence<byte> payload));
        Assert.Equal(FrameHeader.DefaultMaxFrameSize, payload.Length);
        Assert.Equal(FrameHeader.DefaultMaxFrameSize, header.Length);
    }

    [Fact]
    public void TryReadFrame_LengthOneAboveMaxFrameSize_RejectedFromTheHeaderAlone()
    {
        // Only the 9 header bytes have arrived: the payload is never awaited.
        byte[] header = Frame(FrameType.Data, FrameFlags.None, 1, new byte[FrameHeader.DefaultMaxFrameSize + 1])[..FrameHeader.Size];

        Assert.Equal((Http2RejectReason.FrameTooLarge, Connection, 1), RejectsAllWays(header));
        Assert.Equal(Http2ErrorCode.FrameSizeError, Http2RejectErrorCode.Of(Http2RejectReason.FrameTooLarge));
    }

    [Fact]
    public void TryReadFrame_LargerAdvertisedMaxFrameSize_AcceptsLargerFrames()
    {
        byte[] bytes = Frame(FrameType.Data, FrameFlags.EndStream, 1, new byte[20_000]);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.True(FrameReader.TryReadFrame(ref reader, 20_000, out _, out _));
        Assert.Throws<Http2RejectException>(() =>
        {
            var again = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            FrameReader.TryReadFrame(ref again, 19_999, out _, out _);
        });
    }

    [Fact]
    public void TryReadFrame_PayloadIncomplete_ReturnsFalseAndConsumesNothing()
    {
        byte[] bytes = Frame(FrameType.Ping, FrameFlags.None, 0, new byte[8]);
        for (int available = 0; available < bytes.Length; available++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, available));

            Assert.False(FrameReader.TryReadFrame(ref reader, FrameHeader.DefaultMaxFrameSize, out _, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void TryReadFrame_SeveralFramesAnySplit_AllReadInOrder()
    {
        byte[] bytes = Concat(
            Frame(FrameType.Settings, FrameFlags.None, 0, Setting(Http2SettingId.MaxConcurrentStreams, 100)),
            Frame(FrameType.WindowUpdate, FrameFlags.None, 0, U32(1 << 20)),
            Frame(FrameType.Headers, FrameFlags.EndHeaders, 1, Bytes("\x82\x84")),
            Frame(FrameType.Data, FrameFlags.EndStream, 1, Bytes("body")));

        Assert.Equal(
            "SETTINGS ack=False count=1 MaxConcurrentStreams=100\n" +
            "WINDOW_UPDATE s=0 +1048576\n" +
            "HEADERS s=1 end=False endHeaders=True priority=- error=None block=\x82\x84\n" +
            "DATA s=1 end=True fc=4 data=body",
            ReadsAllWays(bytes));
    }

    [Fact]
    public void TryReadFrame_UnknownType_ReturnedWithPayloadToSkip()
    {
        byte[] bytes = Concat(Frame(0x0b, 0xff, 5, Bytes("ext")), Frame(FrameType.Ping, FrameFlags.Ack, 0, new byte[8]));

        Assert.Equal("UNKNOWN type=11 flags=255 s=5 length=3\nPING ack=True data=0000000000000000", ReadsAllWays(bytes));
    }

    // ---- DATA ------------------------------------------------------------------------------------------

    [Fact]
    public void ReadData_Padded_PaddingRemovedAndCountedForFlowControl()
    {
        byte[] bytes = Frame(FrameType.Data, FrameFlags.Padded | FrameFlags.EndStream, 3, Concat([3], Bytes("hello"), new byte[3]));

        Assert.Equal("DATA s=3 end=True fc=9 data=hello", ReadsAllWays(bytes));
    }

    [Fact]
    public void ReadData_PaddingFillsPayload_EmptyData()
    {
        Assert.Equal("DATA s=1 end=False fc=5 data=", ReadsAllWays(Frame(FrameType.Data, FrameFlags.Padded, 1, Concat([4], new byte[4]))));
        Assert.Equal("DATA s=1 end=False fc=1 data=", ReadsAllWays(Frame(FrameType.Data, FrameFlags.Padded, 1, [0])));
    }

    [Fact]
    public void ReadData_PadLengthEqualToPayloadLength_RejectsProtocolError()
    {
        byte[] bytes = Frame(FrameType.Data, FrameFlags.Padded, 1, Concat([5], new byte[4]));

        Assert.Equal((Http2RejectReason.PaddingTooLong, Connection, 1), RejectsAllWays(bytes));
        Assert.Equal(Http2ErrorCode.ProtocolError, Http2RejectErrorCode.Of(Http2RejectReason.PaddingTooLong));
    }

    [Fact]
    public void ReadData_PaddedWithEmptyPayload_RejectsFrameSizeError()
    {
        Assert.Equal((Http2RejectReason.PayloadTooShort, Connection, 1), RejectsAllWays(Frame(FrameType.Data, FrameFlags.Padded, 1)));
    }

    [Fact]
    public void ReadData_StreamZero_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdRequired, Connection, 0), RejectsAllWays(Frame(FrameType.Data, FrameFlags.None, 0, Bytes("x"))));
    }

    // ---- HEADERS ---------------------------------------------------------------------------------------

    [Fact]
    public void ReadHeaders_PaddedWithPriority_FragmentAndPriorityExtracted()
    {
        byte[] payload = Concat([2], U32(0x8000_0001), [15], Bytes("\x82\x86"), new byte[2]);

        Assert.Equal(
            "HEADERS s=3 end=True endHeaders=True priority=PriorityFields { StreamDependency = 1, Exclusive = True, Weight = 15 } error=None block=\x82\x86",
            ReadsAllWays(Frame(FrameType.Headers, FrameFlags.Padded | FrameFlags.Priority | FrameFlags.EndStream | FrameFlags.EndHeaders, 3, payload)));
    }

    [Fact]
    public void ReadHeaders_SelfDependency_ReportedForAfterDecodingNotThrown()
    {
        byte[] bytes = Frame(FrameType.Headers, FrameFlags.Priority | FrameFlags.EndHeaders, 5, Concat(U32(5), [0], Bytes("\x82")));

        Assert.Contains("error=PrioritySelfDependency block=\x82", ReadsAllWays(bytes));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    public void ReadHeaders_TooShortForPriority_RejectsFrameSizeError(int length)
    {
        Assert.Equal((Http2RejectReason.PayloadTooShort, Connection, 1), RejectsAllWays(Frame(FrameType.Headers, FrameFlags.Priority, 1, new byte[length])));
    }

    [Fact]
    public void ReadHeaders_PaddingLongerThanWhatRemainsAfterPriority_RejectsProtocolError()
    {
        // 1 pad length + 5 priority + 2 bytes: padding of 3 would eat into the priority fields.
        byte[] bytes = Frame(FrameType.Headers, FrameFlags.Padded | FrameFlags.Priority, 1, Concat([3], U32(0), [0], new byte[2]));

        Assert.Equal((Http2RejectReason.PaddingTooLong, Connection, 1), RejectsAllWays(bytes));
    }

    [Fact]
    public void ReadHeaders_StreamZero_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdRequired, Connection, 0), RejectsAllWays(Frame(FrameType.Headers, FrameFlags.EndHeaders, 0, Bytes("\x82"))));
    }

    // ---- PRIORITY --------------------------------------------------------------------------------------

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void ReadPriority_LengthNotFive_RejectsStreamFrameSizeError(int length)
    {
        Assert.Equal((Http2RejectReason.PriorityLengthInvalid, Stream, 3), RejectsAllWays(Frame(FrameType.Priority, FrameFlags.None, 3, new byte[length])));
    }

    [Fact]
    public void ReadPriority_SelfDependency_RejectsStreamProtocolError()
    {
        Assert.Equal((Http2RejectReason.PrioritySelfDependency, Stream, 3), RejectsAllWays(Frame(FrameType.Priority, FrameFlags.None, 3, Concat(U32(3), [7]))));
    }

    [Fact]
    public void ReadPriority_StreamZero_RejectsConnectionError()
    {
        Assert.Equal((Http2RejectReason.StreamIdRequired, Connection, 0), RejectsAllWays(Frame(FrameType.Priority, FrameFlags.None, 0, new byte[5])));
    }

    [Fact]
    public void ReadPriority_Valid_FieldsRead()
    {
        Assert.Equal("PRIORITY s=3 PriorityFields { StreamDependency = 1, Exclusive = False, Weight = 255 }",
            ReadsAllWays(Frame(FrameType.Priority, FrameFlags.None, 3, Concat(U32(1), [255]))));
    }

    // ---- RST_STREAM ------------------------------------------------------------------------------------

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void ReadRstStream_LengthNotFour_RejectsConnectionFrameSizeError(int length)
    {
        Assert.Equal((Http2RejectReason.RstStreamLengthInvalid, Connection, 1), RejectsAllWays(Frame(FrameType.RstStream, FrameFlags.None, 1, new byte[length])));
    }

    [Fact]
    public void ReadRstStream_StreamZero_RejectsConnectionProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdRequired, Connection, 0), RejectsAllWays(Frame(FrameType.RstStream, FrameFlags.None, 0, U32(8))));
    }

    [Fact]
    public void ReadRstStream_UnknownErrorCode_KeptAsIs()
    {
        Assert.Equal("RST_STREAM s=1 Cancel\nRST_STREAM s=3 4294967295",
            ReadsAllWays(Concat(Frame(FrameType.RstStream, FrameFlags.None, 1, U32(8)), Frame(FrameType.RstStream, FrameFlags.None, 3, U32(uint.MaxValue)))));
    }

    // ---- SETTINGS --------------------------------------------------------------------------------------

    [Fact]
    public void ReadSettings_SeveralSettings_EnumeratedInOrderIncludingUnknown()
    {
        byte[] bytes = Frame(FrameType.Settings, FrameFlags.None, 0, Concat(
            Setting(Http2SettingId.HeaderTableSize, 0), Setting(Http2SettingId.EnablePush, 0),
            Setting((Http2SettingId)0x99, 12345), Setting(Http2SettingId.InitialWindowSize, int.MaxValue),
            Setting(Http2SettingId.MaxFrameSize, FrameHeader.MaxLength), Setting(Http2SettingId.MaxHeaderListSize, 8192)));

        Assert.Equal("SETTINGS ack=False count=6 HeaderTableSize=0 EnablePush=0 153=12345 InitialWindowSize=2147483647 MaxFrameSize=16777215 MaxHeaderListSize=8192",
            ReadsAllWays(bytes));
    }

    [Fact]
    public void ReadSettings_EmptyAck_Read()
    {
        Assert.Equal("SETTINGS ack=True count=0", ReadsAllWays(Frame(FrameType.Settings, FrameFlags.Ack, 0)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(13)]
    public void ReadSettings_LengthNotMultipleOfSix_RejectsFrameSizeError(int length)
    {
        Assert.Equal((Http2RejectReason.SettingsLengthInvalid, Connection, 0), RejectsAllWays(Frame(FrameType.Settings, FrameFlags.None, 0, new byte[length])));
    }

    [Fact]
    public void ReadSettings_AckWithPayload_RejectsFrameSizeError()
    {
        Assert.Equal((Http2RejectReason.SettingsAckWithPayload, Connection, 0),
            RejectsAllWays(Frame(FrameType.Settings, FrameFlags.Ack, 0, Setting(Http2SettingId.EnablePush, 0))));
    }

    [Fact]
    public void ReadSettings_OnAStream_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdNotAllowed, Connection, 1), RejectsAllWays(Frame(FrameType.Settings, FrameFlags.None, 1)));
    }

    [Theory]
    [InlineData(Http2SettingId.EnablePush, 2u, Http2RejectReason.SettingsBooleanInvalid)]
    [InlineData(Http2SettingId.EnableConnectProtocol, 2u, Http2RejectReason.SettingsBooleanInvalid)]
    [InlineData(Http2SettingId.NoRfc7540Priorities, 7u, Http2RejectReason.SettingsBooleanInvalid)]
    [InlineData(Http2SettingId.InitialWindowSize, 0x8000_0000u, Http2RejectReason.SettingsInitialWindowSizeTooLarge)]
    [InlineData(Http2SettingId.MaxFrameSize, 16_383u, Http2RejectReason.SettingsMaxFrameSizeOutOfRange)]
    [InlineData(Http2SettingId.MaxFrameSize, 16_777_216u, Http2RejectReason.SettingsMaxFrameSizeOutOfRange)]
    public void ReadSettings_ValueOutOfRange_RejectsWholeFrame(Http2SettingId id, uint value, Http2RejectReason reason)
    {
        // A valid setting before the bad one: nothing of the frame may be applied.
        byte[] bytes = Frame(FrameType.Settings, FrameFlags.None, 0, Concat(Setting(Http2SettingId.MaxConcurrentStreams, 10), Setting(id, value)));

        Assert.Equal((reason, Connection, 0), RejectsAllWays(bytes));
    }

    [Fact]
    public void ReadSettings_ValueErrors_MapToTheRfcErrorCodes()
    {
        Assert.Equal(Http2ErrorCode.FlowControlError, Http2RejectErrorCode.Of(Http2RejectReason.SettingsInitialWindowSizeTooLarge));
        Assert.Equal(Http2ErrorCode.ProtocolError, Http2RejectErrorCode.Of(Http2RejectReason.SettingsMaxFrameSizeOutOfRange));
        Assert.Equal(Http2ErrorCode.ProtocolError, Http2RejectErrorCode.Of(Http2RejectReason.SettingsBooleanInvalid));
        Assert.Equal(Http2ErrorCode.FrameSizeError, Http2RejectErrorCode.Of(Http2RejectReason.SettingsLengthInvalid));
    }

    [Theory]
    [InlineData(Http2SettingId.MaxFrameSize, 16_384u)]
    [InlineData(Http2SettingId.MaxFrameSize, 16_777_215u)]
    [InlineData(Http2SettingId.InitialWindowSize, 0x7FFF_FFFFu)]
    [InlineData(Http2SettingId.EnablePush, 1u)]
    public void ReadSettings_ValueAtBound_Accepted(Http2SettingId id, uint value)
    {
        Assert.Equal($"SETTINGS ack=False count=1 {id}={value}", ReadsAllWays(Frame(FrameType.Settings, FrameFlags.None, 0, Setting(id, value))));
    }

    // ---- PUSH_PROMISE ----------------------------------------------------------------------------------

    [Fact]
    public void ReadPushPromise_PaddedWithReservedBit_PromisedIdMaskedAndFragmentExtracted()
    {
        byte[] bytes = Frame(FrameType.PushPromise, FrameFlags.Padded | FrameFlags.EndHeaders, 1, Concat([1], U32(0x8000_0002), Bytes("\x82"), [0]));

        Assert.Equal("PUSH_PROMISE s=1 promised=2 endHeaders=True block=\x82", ReadsAllWays(bytes));
    }

    [Theory]
    [InlineData(FrameFlags.None, 3)]
    [InlineData(FrameFlags.Padded, 4)]
    public void ReadPushPromise_TooShortForPromisedId_RejectsFrameSizeError(FrameFlags flags, int length)
    {
        Assert.Equal((Http2RejectReason.PayloadTooShort, Connection, 1), RejectsAllWays(Frame(FrameType.PushPromise, flags, 1, new byte[length])));
    }

    [Fact]
    public void ReadPushPromise_StreamZero_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdRequired, Connection, 0), RejectsAllWays(Frame(FrameType.PushPromise, FrameFlags.EndHeaders, 0, U32(2))));
    }

    // ---- PING ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    public void ReadPing_LengthNotEight_RejectsFrameSizeError(int length)
    {
        Assert.Equal((Http2RejectReason.PingLengthInvalid, Connection, 0), RejectsAllWays(Frame(FrameType.Ping, FrameFlags.None, 0, new byte[length])));
    }

    [Fact]
    public void ReadPing_OnAStream_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdNotAllowed, Connection, 1), RejectsAllWays(Frame(FrameType.Ping, FrameFlags.None, 1, new byte[8])));
    }

    [Fact]
    public void ReadPing_OpaqueData_ReadBigEndian()
    {
        Assert.Equal("PING ack=False data=0102030405060708", ReadsAllWays(Frame(FrameType.Ping, FrameFlags.None, 0, [1, 2, 3, 4, 5, 6, 7, 8])));
    }

    // ---- GOAWAY ----------------------------------------------------------------------------------------

    [Fact]
    public void ReadGoAway_WithDebugData_FieldsReadAndReservedBitMasked()
    {
        byte[] bytes = Frame(FrameType.GoAway, FrameFlags.None, 0, Concat(U32(0x8000_0007), U32(0xb), Bytes("calm down")));

        Assert.Equal("GOAWAY last=7 EnhanceYourCalm debug=calm down", ReadsAllWays(bytes));
    }

    [Fact]
    public void ReadGoAway_ShorterThanEight_RejectsFrameSizeError()
    {
        Assert.Equal((Http2RejectReason.GoAwayTooShort, Connection, 0), RejectsAllWays(Frame(FrameType.GoAway, FrameFlags.None, 0, new byte[7])));
    }

    [Fact]
    public void ReadGoAway_OnAStream_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdNotAllowed, Connection, 3), RejectsAllWays(Frame(FrameType.GoAway, FrameFlags.None, 3, new byte[8])));
    }

    // ---- WINDOW_UPDATE ---------------------------------------------------------------------------------

    [Fact]
    public void ReadWindowUpdate_ZeroIncrementOnAStream_RejectsStreamProtocolError()
    {
        Assert.Equal((Http2RejectReason.WindowUpdateZeroIncrement, Stream, 5), RejectsAllWays(Frame(FrameType.WindowUpdate, FrameFlags.None, 5, U32(0))));
    }

    [Fact]
    public void ReadWindowUpdate_ZeroIncrementOnTheConnection_RejectsConnectionProtocolError()
    {
        Assert.Equal((Http2RejectReason.WindowUpdateZeroIncrement, Connection, 0), RejectsAllWays(Frame(FrameType.WindowUpdate, FrameFlags.None, 0, U32(0))));
    }

    [Fact]
    public void ReadWindowUpdate_ReservedBitOnly_IsAZeroIncrement()
    {
        Assert.Equal((Http2RejectReason.WindowUpdateZeroIncrement, Stream, 1), RejectsAllWays(Frame(FrameType.WindowUpdate, FrameFlags.None, 1, U32(0x8000_0000))));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void ReadWindowUpdate_LengthNotFour_RejectsConnectionFrameSizeError(int length)
    {
        Assert.Equal((Http2RejectReason.WindowUpdateLengthInvalid, Connection, 1), RejectsAllWays(Frame(FrameType.WindowUpdate, FrameFlags.None, 1, new byte[length])));
    }

    [Fact]
    public void ReadWindowUpdate_LargestIncrement_ReadWithReservedBitMasked()
    {
        Assert.Equal("WINDOW_UPDATE s=1 +2147483647", ReadsAllWays(Frame(FrameType.WindowUpdate, FrameFlags.None, 1, U32(uint.MaxValue))));
    }

    // ---- CONTINUATION ----------------------------------------------------------------------------------

    [Fact]
    public void ReadContinuation_StreamZero_RejectsProtocolError()
    {
        Assert.Equal((Http2RejectReason.StreamIdRequired, Connection, 0), RejectsAllWays(Frame(FrameType.Continuation, FrameFlags.EndHeaders, 0, Bytes("\x82"))));
    }

    [Fact]
    public void ReadContinuation_Fragment_IsThePayload()
    {
        Assert.Equal("CONTINUATION s=1 endHeaders=True block=\x84\x87", ReadsAllWays(Frame(FrameType.Continuation, FrameFlags.EndHeaders, 1, Bytes("\x84\x87"))));
    }
}
