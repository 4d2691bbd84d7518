using System.Buffers;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http2;

public class ConnectionPrefaceTests
{
    [Fact]
    public void Bytes_AreTheRfc9113Preface()
    {
        Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Text(ConnectionPreface.Bytes));
        Assert.Equal(ConnectionPreface.Length, ConnectionPreface.Bytes.Length);
    }

    [Fact]
    public void TryRead_PrefaceThenSettings_ConsumesThePrefaceOnlyEveryWay()
    {
        byte[] bytes = Bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0");
        foreach ((string shape, ReadOnlySequence<byte> input) in AllShapes(bytes))
        {
            var reader = new SequenceReader<byte>(input);

            Assert.True(ConnectionPreface.TryRead(ref reader), shape);
            Assert.Equal(ConnectionPreface.Length, reader.Consumed);
        }
    }

    [Fact]
    public void TryRead_EveryProperPrefix_ReturnsFalseAndConsumesNothing()
    {
        byte[] preface = ConnectionPreface.Bytes.ToArray();
        for (int length = 0; length < preface.Length; length++)
        {
            foreach ((string shape, ReadOnlySequence<byte> input) in AllShapes(preface[..length]))
            {
                var reader = new SequenceReader<byte>(input);

                Assert.False(ConnectionPreface.TryRead(ref reader), $"{length} bytes, {shape}");
                Assert.Equal(0, reader.Consumed);
            }
        }
    }

    [Theory]
    [InlineData("G")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n")]
    [InlineData("\x16\x03\x01")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\r")]
    public void TryRead_DifferentBytes_RejectedAsSoonAsTheyDiffer(string received)
    {
        byte[] bytes = Bytes(received);

        Http2RejectException e = Assert.Throws<Http2RejectException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            ConnectionPreface.TryRead(ref reader);
        });

        Assert.Equal(Http2RejectReason.InvalidPreface, e.Reason);
        Assert.Equal(Http2ErrorScope.Connection, e.Scope);
        Assert.Equal(Http2ErrorCode.ProtocolError, e.ErrorCode);
    }

    [Fact]
    public void Write_ThenTryRead_RoundTrips()
    {
        var writer = new ArrayBufferWriter<byte>();
        ConnectionPreface.Write(writer);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(writer.WrittenMemory));

        Assert.True(ConnectionPreface.TryRead(ref reader));
        Assert.True(reader.End);
    }
}
