using System.Buffers;
using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

public class ChunkedDecoderTests
{
    // ---- valid bodies ------------------------------------------------------------------------------------

    [Fact]
    public void Decode_OneChunk_ReturnsDataThenDone()
    {
        DecodedBody body = ChunkedHarness.DecodesAllWays("5\r\nhello\r\n0\r\n\r\n");

        Assert.Equal(new DecodedBody("hello", "", 15), body);
    }

    [Fact]
    public void Decode_SeveralChunks_ConcatenatesData()
    {
        DecodedBody body = ChunkedHarness.DecodesAllWays("5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");

        Assert.Equal("hello world", body.Data);
    }

    [Fact]
    public void Decode_HexSizesInEitherCaseAndLeadingZeros_Accepted()
    {
        DecodedBody body = ChunkedHarness.DecodesAllWays("A\r\n0123456789\r\na\r\nabcdefghij\r\n0001\r\n!\r\n000\r\n\r\n");

        Assert.Equal("0123456789abcdefghij!", body.Data);
    }

    [Fact]
    public void Decode_DataHoldingCrLf_TakenByLengthNotByLines()
    {
        Assert.Equal("\r\n0\r\n", ChunkedHarness.DecodesAllWays("5\r\n\r\n0\r\n\r\n0\r\n\r\n").Data);
    }

    [Theory]
    [InlineData("5;ext\r\n")]
    [InlineData("5;name=value\r\n")]
    [InlineData("5 ; a = b ;c\t;\td\r\n")]
    [InlineData("5;q=\"quoted \\\"x\\\" ; = \t\"\r\n")]
    [InlineData("5;q=\"\"\r\n")]
    [InlineData("5;q=\"caf\xe9\"\r\n")]
    [InlineData("5;!#$%&'*+-.^_`|~=!#$%&'*+-.^_`|~\r\n")]
    public void Decode_ChunkExtensions_ValidatedAndIgnored(string sizeLine)
    {
        Assert.Equal("hello", ChunkedHarness.DecodesAllWays(sizeLine + "hello\r\n0;last=1\r\n\r\n").Data);
    }

    [Fact]
    public void Decode_Trailers_ReturnedAsLinesWithoutCrLf()
    {
        DecodedBody body = ChunkedHarness.DecodesAllWays("3\r\nabc\r\n0\r\nX-Checksum: abc\r\nX-Other:  v \r\n\r\n");

        Assert.Equal("abc", body.Data);
        Assert.Equal("X-Checksum: abc\nX-Other:  v ", body.Trailers);
    }

    [Fact]
    public void Decode_BytesAfterBody_LeftUnconsumed()
    {
        const string bodyText = "3\r\nabc\r\n0\r\n\r\n";
        DecodedBody body = ChunkedHarness.DecodesAllWays(bodyText + "GET /next HTTP/1.1\r\n");

        Assert.Equal(bodyText.Length, body.Consumed);
    }

    [Fact]
    public void Decode_LargestChunkSize_Accepted()
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("7fffffffffffffff\r\nab")));

        Assert.Equal(ChunkedDecodeStatus.Data, decoder.Decode(ref reader, out ReadOnlySequence<byte> data));
        Assert.Equal("ab", Text(data));
        Assert.Equal(ChunkedDecodeStatus.NeedMoreData, decoder.Decode(ref reader, out _));
    }

    [Fact]
    public void Decode_UnfinishedSizeLine_LeftUnconsumed()
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("3\r\nabc\r\n5;ext")));

        Assert.Equal(ChunkedDecodeStatus.Data, decoder.Decode(ref reader, out _));
        Assert.Equal(ChunkedDecodeStatus.NeedMoreData, decoder.Decode(ref reader, out _));
        Assert.Equal(8, reader.Consumed);
    }

    [Fact]
    public void Decode_DataSplitOverSegments_ReturnsAsMuchAsAvailableUpToChunkEnd()
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        var reader = new SequenceReader<byte>(Create(Bytes("a\r\n0123"), Bytes("456789\r\n2\r\nxy")));

        Assert.Equal(ChunkedDecodeStatus.Data, decoder.Decode(ref reader, out ReadOnlySequence<byte> first));
        Assert.Equal("0123456789", Text(first));
        Assert.Equal(ChunkedDecodeStatus.Data, decoder.Decode(ref reader, out ReadOnlySequence<byte> second));
        Assert.Equal("xy", Text(second));
    }

    [Fact]
    public void Decode_AfterDone_KeepsReturningDoneWithoutConsuming()
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("0\r\n\r\nnext")));

        Assert.Equal(ChunkedDecodeStatus.Done, decoder.Decode(ref reader, out _));
        Assert.Equal(ChunkedDecodeStatus.Done, decoder.Decode(ref reader, out _));
        Assert.Equal(5, reader.Consumed);
        Assert.True(decoder.IsFinished);
    }

    [Fact]
    public void Reset_AfterBody_DecodesNextBody()
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        var first = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("1\r\na\r\n0\r\n\r\n")));
        while (decoder.Decode(ref first, out _) != ChunkedDecodeStatus.Done) { }

        decoder.Reset();

        Assert.False(decoder.IsFinished);
        var second = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("2\r\nbc\r\n0\r\n\r\n")));
        Assert.Equal(ChunkedDecodeStatus.Data, decoder.Decode(ref second, out ReadOnlySequence<byte> data));
        Assert.Equal("bc", Text(data));
    }

    [Fact]
    public void Reset_DecoderWithLimits_KeepsLimits()
    {
        var decoder = new ChunkedDecoder(new ChunkedLimits(8, 64));
        decoder.Reset();

        var e = Assert.Throws<HttpRejectException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("1;abcdef\r\n")));
            decoder.Decode(ref reader, out _);
        });
        Assert.Equal(RejectReason.ChunkLineTooLong, e.Reason);
    }

    [Fact]
    public void Decode_SizeLineExactlyAtLimit_Accepted()
    {
        // "5;abcdefg\r\n" is 11 bytes with its CRLF.
        Assert.Equal("hello", ChunkedHarness.DecodesAllWays("5;abcdefg\r\nhello\r\n0\r\n\r\n", new ChunkedLimits(11, 64)).Data);
    }

    [Fact]
    public void Decode_TrailersExactlyAtLimit_Accepted()
    {
        // Two field lines of 8 bytes with their CRLFs; the final CRLF is not counted.
        Assert.Equal("X-A: 12\nX-B: 34", ChunkedHarness.DecodesAllWays("0\r\nX-A: 12\r\nX-B: 34\r\n\r\n", new ChunkedLimits(64, 18)).Trailers);
    }

    // ---- rejections ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("\r\nhello\r\n0\r\n\r\n")]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("+5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n")]
    [InlineData(" 5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 \r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\t\r\nhello\r\n0\r\n\r\n")]
    [InlineData("g\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5g\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("8000000000000000\r\n")]
    [InlineData("10000000000000000\r\n")]
    [InlineData("ffffffffffffffff\r\n")]
    [InlineData("00000000000000000ffffffffffffffff\r\n")]
    public void Decode_MalformedOrOverflowingSize_RejectsInvalidChunkSize(string text)
    {
        Assert.Equal(RejectReason.InvalidChunkSize, ChunkedHarness.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("5;\r\n")]
    [InlineData("5;=x\r\n")]
    [InlineData("5;a=\r\n")]
    [InlineData("5;a=\"unterminated\r\n")]
    [InlineData("5;a b\r\n")]
    [InlineData("5;a=b \r\n")]
    [InlineData("5;a \r\n")]
    [InlineData("5;a=b=c\r\n")]
    [InlineData("5;a;\r\n")]
    [InlineData("5;a=\"x\"y\r\n")]
    [InlineData("5;a=\"x\x01\"\r\n")]
    [InlineData("5;a=\"\\\x01\"\r\n")]
    [InlineData("5;a=\"\\")]
    [InlineData("5;a(b)\r\n")]
    [InlineData("5;a=\x80\r\n")]
    public void Decode_MalformedExtension_RejectsInvalidChunkExtension(string sizeLine)
    {
        Assert.Equal(RejectReason.InvalidChunkExtension, ChunkedHarness.RejectsAllWays(sizeLine + "hello\r\n0\r\n\r\n"));
    }

    [Fact]
    public void Decode_SizeLineOneByteOverLimit_RejectsChunkLineTooLong()
    {
        Assert.Equal(RejectReason.ChunkLineTooLong, ChunkedHarness.RejectsAllWays("5;abcdefgh\r\nhello\r\n0\r\n\r\n", new ChunkedLimits(11, 64)));
    }

    [Fact]
    public void Decode_UnfinishedSizeLineOverLimit_RejectsBeforeItEnds()
    {
        var decoder = new ChunkedDecoder(new ChunkedLimits(11, 64));
        var e = Assert.Throws<HttpRejectException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("5;abcdefghi")));
            decoder.Decode(ref reader, out _);
        });

        Assert.Equal(RejectReason.ChunkLineTooLong, e.Reason);
    }

    [Theory]
    [InlineData("5\r\nhelloX0\r\n\r\n")]
    [InlineData("5\r\nhello\n0\r\n\r\n")]
    [InlineData("5\r\nhello\rX0\r\n\r\n")]
    [InlineData("5\r\nhello world\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\r\n0\r\n\r\n")]
    public void Decode_DataNotFollowedByCrLf_RejectsMissingChunkTerminator(string text)
    {
        Assert.Equal(RejectReason.MissingChunkTerminator, ChunkedHarness.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("5\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=b\nhello\r\n0\r\n\r\n")]
    [InlineData("0\n\r\n")]
    [InlineData("0\r\n\n")]
    [InlineData("0\r\nX-A: 1\n\r\n")]
    public void Decode_BareLineFeedInFraming_RejectsBareLineFeed(string text)
    {
        Assert.Equal(RejectReason.BareLineFeed, ChunkedHarness.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("5;a\rb\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\r\nhello\r\n0\r\n\r\n")]
    [InlineData("0\r\nX-A: 1\r2\r\n\r\n")]
    [InlineData("0\r\n\r\r\n")]
    public void Decode_BareCarriageReturnInFraming_RejectsBareCarriageReturn(string text)
    {
        Assert.Equal(RejectReason.BareCarriageReturn, ChunkedHarness.RejectsAllWays(text));
    }

    [Fact]
    public void Decode_TrailersOneByteOverLimit_RejectsTrailersTooLarge()
    {
        Assert.Equal(RejectReason.TrailersTooLarge, ChunkedHarness.RejectsAllWays("0\r\nX-A: 12\r\nX-B: 345\r\n\r\n", new ChunkedLimits(64, 18)));
    }

    [Fact]
    public void Decode_UnfinishedTrailerOverLimit_RejectsBeforeItEnds()
    {
        var decoder = new ChunkedDecoder(new ChunkedLimits(64, 8));
        var e = Assert.Throws<HttpRejectException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("0\r\nX-Long: value")));
            while (decoder.Decode(ref reader, out _) != ChunkedDecodeStatus.NeedMoreData) { }
        });

        Assert.Equal(RejectReason.TrailersTooLarge, e.Reason);
    }

    [Theory]
    [InlineData(" X-A: 1\r\n", RejectReason.ObsoleteLineFolding)]
    [InlineData("X-A : 1\r\n", RejectReason.WhitespaceBeforeColon)]
    [InlineData("No-Colon\r\n", RejectReason.InvalidHeaderName)]
    [InlineData("X(A): 1\r\n", RejectReason.InvalidHeaderName)]
    [InlineData("X-A: \0\r\n", RejectReason.InvalidHeaderValue)]
    [InlineData("X-A: 1\r\n\tfolded\r\n", RejectReason.ObsoleteLineFolding)]
    public void Decode_MalformedTrailerField_RejectsLikeHeaderFields(string trailer, RejectReason reason)
    {
        Assert.Equal(reason, ChunkedHarness.RejectsAllWays("0\r\n" + trailer + "\r\n"));
    }
}
