using System.Buffers;
using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

public class ChunkedEncoderTests
{
    [Fact]
    public void WriteChunk_Span_WritesLowercaseHexSizeDataAndCrLf()
    {
        var writer = new ArrayBufferWriter<byte>();
        byte[] data = new byte[255];
        Array.Fill(data, (byte)'x');

        ChunkedEncoder.WriteChunk(writer, data);

        Assert.Equal("ff\r\n" + new string('x', 255) + "\r\n", Text(writer.WrittenSpan));
    }

    [Fact]
    public void WriteChunk_MultiSegmentSequence_WritesOneChunk()
    {
        var writer = new ArrayBufferWriter<byte>();

        ChunkedEncoder.WriteChunk(writer, Create(Bytes("hello "), Bytes(""), Bytes("world")));

        Assert.Equal("b\r\nhello world\r\n", Text(writer.WrittenSpan));
    }

    [Fact]
    public void WriteChunk_EmptyData_WritesNothing()
    {
        var writer = new ArrayBufferWriter<byte>();

        ChunkedEncoder.WriteChunk(writer, ReadOnlySpan<byte>.Empty);
        ChunkedEncoder.WriteChunk(writer, ReadOnlySequence<byte>.Empty);

        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void WriteLastChunk_FollowedByTrailerAndEnd_WritesTerminatingSection()
    {
        var writer = new ArrayBufferWriter<byte>();

        ChunkedEncoder.WriteChunk(writer, "abc"u8);
        ChunkedEncoder.WriteLastChunk(writer);
        ChunkedEncoder.WriteTrailerField(writer, Create(Bytes("X-Check"), Bytes("sum: 1")));
        ChunkedEncoder.WriteEnd(writer);

        Assert.Equal("3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n", Text(writer.WrittenSpan));
    }

    [Fact]
    public void WriteChunk_Output_DecodesToTheSameBytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        byte[] data = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();

        ChunkedEncoder.WriteChunk(writer, data);
        ChunkedEncoder.WriteLastChunk(writer);
        ChunkedEncoder.WriteEnd(writer);

        Assert.StartsWith("11170\r\n", Text(writer.WrittenSpan[..7]), StringComparison.Ordinal);
        DecodedBody? body = ChunkedHarness.Decode(new ReadOnlySequence<byte>(writer.WrittenMemory), ChunkedLimits.Default);
        Assert.Equal(Text(data), body!.Data);
    }
}
