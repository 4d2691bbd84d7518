using CsCheck;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Hpack.HpackHarness;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Hpack;

public class HuffmanTests
{
    [Theory]
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData(1, 0x7fffd8u, 23)]
    [InlineData(10, 0x3ffffffcu, 30)]
    [InlineData(' ', 0x14u, 6)]
    [InlineData('0', 0x0u, 5)]
    [InlineData('a', 0x3u, 5)]
    [InlineData('t', 0x9u, 5)]
    [InlineData('\\', 0x7fff0u, 19)]
    [InlineData('~', 0x1ffdu, 13)]
    [InlineData(127, 0xffffffcu, 28)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(256, 0x3fffffffu, 30)]
    public void CodeOf_DerivedCanonically_MatchesRfc7541AppendixB(int symbol, uint code, int length)
    {
        Assert.Equal((code, length), Huffman.CodeOf(symbol));
    }

    [Fact]
    public void CodeOf_AllSymbols_FormACompletePrefixCode()
    {
        // Kraft equality: the lengths fill the code space exactly, so no bit string is left undecodable but padding.
        double sum = Enumerable.Range(0, 257).Sum(s => Math.Pow(2, -Huffman.CodeOf(s).Length));
        Assert.Equal(1.0, sum, 12);
    }

    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("302", "6402")]
    [InlineData("307", "640eff")]
    [InlineData("private", "aec3771a4b")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    [InlineData("gzip", "9bd9ab")]
    [InlineData("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007")]
    public void EncodeAndDecode_Rfc7541AppendixCStrings_ByteForByte(string text, string hex)
    {
        byte[] plain = Bytes(text);
        byte[] encoded = new byte[Huffman.GetEncodedLength(plain)];

        Assert.Equal(encoded.Length, Huffman.Encode(plain, encoded));
        Assert.Equal(hex, Convert.ToHexStringLower(encoded));
        byte[] decoded = new byte[Huffman.MaxDecodedLength(encoded.Length)];
        Assert.True(Huffman.TryDecode(encoded, decoded, out int written));
        Assert.Equal(text, Text(decoded.AsSpan(0, written)));
    }

    [Fact]
    public void EncodeThenDecode_RandomByteStrings_RoundTrip()
    {
        Gen.Byte.Array[0, 300].Sample(plain =>
        {
            byte[] encoded = new byte[Huffman.GetEncodedLength(plain)];
            Assert.Equal(encoded.Length, Huffman.Encode(plain, encoded));
            Assert.True(Huffman.MinDecodedLength(encoded.Length) <= plain.Length);
            Assert.True(Huffman.MaxDecodedLength(encoded.Length) >= plain.Length);
            byte[] decoded = new byte[plain.Length];
            Assert.True(Huffman.TryDecode(encoded, decoded, out int written));
            Assert.Equal(plain.Length, written);
            Assert.Equal(plain, decoded);
        }, iter: 3000);
    }

    [Fact]
    public void EncodeThenDecode_EveryByteValue_RoundTrips()
    {
        byte[] plain = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        byte[] encoded = new byte[Huffman.GetEncodedLength(plain)];
        Huffman.Encode(plain, encoded);
        byte[] decoded = new byte[256];

        Assert.True(Huffman.TryDecode(encoded, decoded, out int written));
        Assert.Equal(plain, decoded[..written]);
    }

    [Fact]
    public void TryDecode_Empty_DecodesToEmpty()
    {
        Assert.True(Huffman.TryDecode([], [], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryDecode_PaddingOfZeros_RejectsInvalidPadding()
    {
        // 'a' = 00011, padded with 000 instead of 111.
        Assert.Equal(Http2RejectReason.HuffmanInvalidPadding, RejectionOf(() => Huffman.TryDecode([0x18], new byte[8], out _)));
    }

    [Fact]
    public void TryDecode_PaddingOfEightOnes_RejectsInvalidPadding()
    {
        // "00000000" as eight 5-bit codes is exactly 5 bytes; a sixth byte of ones is 8 bits of padding.
        byte[] encoded = new byte[6];
        encoded[5] = 0xFF;

        Assert.Equal(Http2RejectReason.HuffmanInvalidPadding, RejectionOf(() => Huffman.TryDecode(encoded, new byte[16], out _)));
        Assert.True(Huffman.TryDecode(encoded.AsSpan(0, 5), new byte[16], out int written));
        Assert.Equal(8, written);
    }

    [Fact]
    public void TryDecode_PaddingOfSevenOnes_Accepted()
    {
        // 00011 000|11 111111: 'a', 'a', then 6 bits of ones; and 'a' + 111 in one byte.
        byte[] decoded = new byte[8];
        Assert.True(Huffman.TryDecode([0x18, 0xFF], decoded, out int written));
        Assert.Equal("aa", Text(decoded.AsSpan(0, written)));
        Assert.True(Huffman.TryDecode([0x1F], decoded, out written));
        Assert.Equal("a", Text(decoded.AsSpan(0, written)));
    }

    [Fact]
    public void TryDecode_EndOfStringSymbol_RejectsEvenAtTheEnd()
    {
        // 32 ones: EOS and 2 bits; then 'a' followed by 34 ones.
        Assert.Equal(Http2RejectReason.HuffmanEndOfString, RejectionOf(() => Huffman.TryDecode([0xFF, 0xFF, 0xFF, 0xFF], new byte[8], out _)));
        Assert.Equal(Http2RejectReason.HuffmanEndOfString, RejectionOf(() => Huffman.TryDecode([0x1F, 0xFF, 0xFF, 0xFF, 0xFE], new byte[8], out _)));
        Assert.Equal(Http2ErrorCode.CompressionError, Http2RejectErrorCode.Of(Http2RejectReason.HuffmanEndOfString));
    }

    [Fact]
    public void TryDecode_DestinationTooSmall_ReturnsFalseWithWhatFitted()
    {
        byte[] encoded = Hex("f1e3c2e5f23a6ba0ab90f4ff");   // www.example.com
        byte[] destination = new byte[14];

        Assert.False(Huffman.TryDecode(encoded, destination, out int written));
        Assert.Equal(14, written);
        Assert.Equal("www.example.co", Text(destination));
    }

    [Fact]
    public void GetEncodedLength_BytesAboveAscii_LongerThanRaw()
    {
        byte[] plain = [0xFF, 0xFE, 0xFD];

        Assert.True(Huffman.GetEncodedLength(plain) > plain.Length);
    }
}
