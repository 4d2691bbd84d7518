using CsCheck;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Hpack.HpackHarness;

namespace Proxy.Protocols.Tests.Hpack;

public class HpackIntegersTests
{
    [Theory]
    [InlineData(10, 5, "0a")]        // RFC 7541 C.1.1
    [InlineData(1337, 5, "1f9a0a")]  // RFC 7541 C.1.2
    [InlineData(42, 8, "2a")]        // RFC 7541 C.1.3
    [InlineData(31, 5, "1f00")]
    [InlineData(127, 7, "7f00")]
    [InlineData(0, 1, "00")]
    public void EncodeAndDecode_Rfc7541AppendixC1_ByteForByte(int value, int prefixBits, string hex)
    {
        Span<byte> buffer = stackalloc byte[HpackIntegers.MaxEncodedLength];

        int written = HpackIntegers.Encode(value, prefixBits, 0, buffer);

        Assert.Equal(hex, Convert.ToHexStringLower(buffer[..written]));
        Assert.Equal(written, HpackIntegers.GetEncodedLength(value, prefixBits));
        Assert.True(HpackIntegers.TryDecode(Hex(hex), prefixBits, out int decoded, out int consumed));
        Assert.Equal((value, written), (decoded, consumed));
    }

    [Fact]
    public void Encode_PatternBits_KeptAbovePrefix()
    {
        Span<byte> buffer = stackalloc byte[HpackIntegers.MaxEncodedLength];

        int written = HpackIntegers.Encode(62, 7, 0x80, buffer);

        Assert.Equal("be", Convert.ToHexStringLower(buffer[..written]));
    }

    [Fact]
    public void TryDecode_BitsAbovePrefix_Ignored()
    {
        Assert.True(HpackIntegers.TryDecode(Hex("ea"), 5, out int value, out _));
        Assert.Equal(10, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1f")]
    [InlineData("1f9a")]
    [InlineData("1fff ff ff ff")]
    public void TryDecode_Incomplete_ReturnsFalse(string hex)
    {
        Assert.False(HpackIntegers.TryDecode(Hex(hex), 5, out _, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EncodeAndDecode_TwoToTheThirtyOneMinusOne_RoundTripsWithinSixBytes(int prefixBits)
    {
        Span<byte> buffer = stackalloc byte[HpackIntegers.MaxEncodedLength];

        int written = HpackIntegers.Encode(int.MaxValue, prefixBits, 0, buffer);

        Assert.True(written <= HpackIntegers.MaxEncodedLength);
        Assert.True(HpackIntegers.TryDecode(buffer[..written], prefixBits, out int value, out int consumed));
        Assert.Equal((int.MaxValue, written), (value, consumed));
    }

    [Fact]
    public void TryDecode_TwoToTheThirtyOne_RejectsOverflow()
    {
        // 2^31 = 31 + 2147483617; 2147483617 in 7-bit groups: e1 ff ff ff 07.
        Assert.Equal(Http2RejectReason.HpackIntegerOverflow, RejectionOf(() => HpackIntegers.TryDecode(Hex("1f e1 ff ff ff 07"), 5, out _, out _)));
        Assert.True(HpackIntegers.TryDecode(Hex("1f e0 ff ff ff 07"), 5, out int max, out _));
        Assert.Equal(int.MaxValue, max);
    }

    [Fact]
    public void TryDecode_SixContinuationBytes_RejectsEvenWhenTheyAddNothing()
    {
        Assert.Equal(Http2RejectReason.HpackIntegerOverflow, RejectionOf(() => HpackIntegers.TryDecode(Hex("1f 80 80 80 80 80 00"), 5, out _, out _)));
        Assert.Equal(Http2ErrorCode.CompressionError, Http2RejectErrorCode.Of(Http2RejectReason.HpackIntegerOverflow));
    }

    [Fact]
    public void TryDecode_RedundantZeroGroupsWithinSixBytes_Accepted()
    {
        Assert.True(HpackIntegers.TryDecode(Hex("1f 80 80 00"), 5, out int value, out int consumed));
        Assert.Equal((31, 4), (value, consumed));
    }

    [Fact]
    public void EncodeThenDecode_RandomValuesAndPrefixes_RoundTrip()
    {
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 8], Gen.Byte).Sample((value, prefixBits, pattern) =>
        {
            byte[] buffer = new byte[HpackIntegers.MaxEncodedLength + 1];
            int written = HpackIntegers.Encode(value, prefixBits, pattern, buffer);
            Assert.Equal(HpackIntegers.GetEncodedLength(value, prefixBits), written);
            Assert.Equal(pattern & ~((1 << prefixBits) - 1) & 0xFF, buffer[0] & ~((1 << prefixBits) - 1) & 0xFF);
            Assert.True(HpackIntegers.TryDecode(buffer, prefixBits, out int decoded, out int consumed));
            Assert.Equal((value, written), (decoded, consumed));
            Assert.False(HpackIntegers.TryDecode(buffer.AsSpan(0, written - 1), prefixBits, out _, out _));
        }, iter: 5000);
    }
}
