using System.Buffers;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http2.FrameHarness;

namespace Proxy.Protocols.Tests.Http2;

public class FrameHeaderTests
{
    [Fact]
    public void Read_RfcLayout_FieldsDecodedAndReservedBitMasked()
    {
        byte[] bytes = [0x00, 0x01, 0x02, 0x01, 0x25, 0x80, 0x00, 0x00, 0x03];

        FrameHeader header = FrameHeader.Read(bytes);

        Assert.Equal(0x102, header.Length);
        Assert.Equal(FrameType.Headers, header.Type);
        Assert.Equal(FrameFlags.EndStream | FrameFlags.EndHeaders | FrameFlags.Priority, header.Flags);
        Assert.Equal(3, header.StreamId);
    }

    [Fact]
    public void WriteTo_LargestValues_RoundTripsWithReservedBitClear()
    {
        var header = new FrameHeader(FrameHeader.MaxLength, (FrameType)0xFF, (FrameFlags)0xFF, FrameHeader.MaxStreamId);
        var bytes = new byte[FrameHeader.Size];

        header.WriteTo(bytes);

        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF], bytes);
        Assert.Equal(header, FrameHeader.Read(bytes));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(FrameHeader.MaxLength + 1, 1)]
    [InlineData(0, -1)]
    public void Constructor_FieldOutOfRange_Throws(int length, int streamId)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameHeader(length, FrameType.Data, FrameFlags.None, streamId));
    }

    [Theory]
    [InlineData((byte)FrameType.Data, true)]
    [InlineData((byte)FrameType.Continuation, true)]
    [InlineData(0x0a, false)]
    [InlineData(0xff, false)]
    public void IsKnownType_TypeByte_TrueOnlyForRfc9113Types(byte type, bool known)
    {
        Assert.Equal(known, new FrameHeader(0, (FrameType)type, FrameFlags.None, 0).IsKnownType);
    }

    [Fact]
    public void HasFlag_FlagsTheTypeDoesNotDefine_KeptAsReceived()
    {
        FrameHeader header = FrameHeader.Read(Frame(FrameType.Ping, (FrameFlags)0xF7, 0, new byte[8]));

        Assert.True(header.HasFlag(FrameFlags.Ack));
        Assert.Equal((FrameFlags)0xF7, header.Flags);
        Assert.Equal("PING ack=True data=0000000000000000", ReadsAllWays(Frame(FrameType.Ping, (FrameFlags)0xF7, 0, new byte[8])));
    }

    [Fact]
    public void TryReadFrameHeader_FewerThanNineBytes_ReturnsFalseAndConsumesNothing()
    {
        byte[] bytes = Frame(FrameType.Data, FrameFlags.None, 1, new byte[3]);
        for (int available = 0; available < FrameHeader.Size; available++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, available));

            Assert.False(FrameReader.TryReadFrameHeader(ref reader, FrameHeader.DefaultMaxFrameSize, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void TryReadFrameHeader_NineBytes_ReadsHeaderAndAdvancesPastIt()
    {
        byte[] bytes = Frame(FrameType.WindowUpdate, FrameFlags.None, 7, U32(100));
        foreach ((string shape, ReadOnlySequence<byte> input) in Http1.Sequences.AllShapes(bytes[..FrameHeader.Size]))
        {
            var reader = new SequenceReader<byte>(input);

            Assert.True(FrameReader.TryReadFrameHeader(ref reader, FrameHeader.DefaultMaxFrameSize, out FrameHeader header), shape);
            Assert.Equal(new FrameHeader(4, FrameType.WindowUpdate, FrameFlags.None, 7), header);
            Assert.Equal(FrameHeader.Size, reader.Consumed);
        }
    }
}
