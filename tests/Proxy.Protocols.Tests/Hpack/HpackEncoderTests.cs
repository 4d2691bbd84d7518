using System.Buffers;
using CsCheck;
using Proxy.Protocols.Hpack;
using static Proxy.Protocols.Tests.Hpack.HpackHarness;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Hpack;

public class HpackEncoderTests
{
    private static string Encode(HpackEncoder encoder, HpackIndexing indexing, params (string Name, string Value)[] fields)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        foreach ((string name, string value) in fields) encoder.Encode(output, Bytes(name), Bytes(value), indexing);
        return Convert.ToHexStringLower(output.WrittenSpan);
    }

    private static string Encode(HpackEncoder encoder, params (string Name, string Value)[] fields) => Encode(encoder, HpackIndexing.Auto, fields);

    // ---- RFC 7541 Appendix C, byte for byte with every literal indexed as the examples do ---------------

    private static readonly (string, string)[] Request1 = [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];
    private static readonly (string, string)[] Request2 = [.. Request1, ("cache-control", "no-cache")];
    private static readonly (string, string)[] Request3 = [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")];
    private static readonly (string, string)[] Response1 = [(":status", "302"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];
    private static readonly (string, string)[] Response2 = [(":status", "307"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];
    private static readonly (string, string)[] Response3 = [(":status", "200"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:22 GMT"), ("location", "https://www.example.com"), ("content-encoding", "gzip"), ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")];

    [Fact]
    public void Encode_C3RequestsWithoutHuffman_ByteForByte()
    {
        var encoder = new HpackEncoder { UseHuffman = false };

        Assert.Equal("828684410f7777772e6578616d706c652e636f6d", Encode(encoder, HpackIndexing.Incremental, Request1));
        Assert.Equal("828684be58086e6f2d6361636865", Encode(encoder, HpackIndexing.Incremental, Request2));
        Assert.Equal("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", Encode(encoder, HpackIndexing.Incremental, Request3));
        Assert.Equal(164, encoder.DynamicTable.Size);
    }

    [Fact]
    public void Encode_C4RequestsWithHuffman_ByteForByte()
    {
        var encoder = new HpackEncoder();

        Assert.Equal("828684418cf1e3c2e5f23a6ba0ab90f4ff", Encode(encoder, HpackIndexing.Incremental, Request1));
        Assert.Equal("828684be5886a8eb10649cbf", Encode(encoder, HpackIndexing.Incremental, Request2));
        Assert.Equal("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", Encode(encoder, HpackIndexing.Incremental, Request3));
    }

    [Fact]
    public void Encode_C5ResponsesWithoutHuffman_ByteForByteAfterAnnouncingTheSmallerTable()
    {
        // The RFC's encoder and decoder both start at 256; ours tells a decoder that starts at 4096: 3fe101 = size 256.
        var encoder = new HpackEncoder(256) { UseHuffman = false };

        Assert.Equal("3fe101" + "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
            Encode(encoder, HpackIndexing.Incremental, Response1));
        Assert.Equal("4803333037c1c0bf", Encode(encoder, HpackIndexing.Incremental, Response2));
        Assert.Equal("88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31",
            Encode(encoder, HpackIndexing.Incremental, Response3));
        Assert.Equal(215, encoder.DynamicTable.Size);
    }

    [Fact]
    public void Encode_C6ResponsesWithHuffman_ByteForByteButForAnEqualLengthString()
    {
        var encoder = new HpackEncoder(256);

        Assert.Equal("3fe101" + "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
            Encode(encoder, HpackIndexing.Incremental, Response1));
        // The RFC writes "307" as 83 640eff; Huffman saves nothing there, so ours stays raw: 03 333037 (as in C.5.2).
        Assert.Equal("4803333037c1c0bf", Encode(encoder, HpackIndexing.Incremental, Response2));
        Assert.Equal("88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
            Encode(encoder, HpackIndexing.Incremental, Response3));
    }

    [Fact]
    public void Encode_C2SingleRepresentations_ByteForByte()
    {
        Assert.Equal("400a637573746f6d2d6b65790d637573746f6d2d686561646572", Encode(new HpackEncoder { UseHuffman = false }, HpackIndexing.Incremental, ("custom-key", "custom-header")));
        Assert.Equal("040c2f73616d706c652f70617468", Encode(new HpackEncoder { UseHuffman = false }, HpackIndexing.WithoutIndexing, (":path", "/sample/path")));
        Assert.Equal("100870617373776f726406736563726574", Encode(new HpackEncoder { UseHuffman = false }, HpackIndexing.NeverIndexed, ("password", "secret")));
        Assert.Equal("82", Encode(new HpackEncoder(), (":method", "GET")));
    }

    // ---- policy ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("authorization", "Bearer abc")]
    [InlineData("proxy-authorization", "Basic xyz")]
    [InlineData("cookie", "session=1")]
    [InlineData("set-cookie", "session=1; HttpOnly")]
    public void Encode_SensitiveFields_NeverIndexedAndKeptOutOfTheTable(string name, string value)
    {
        var encoder = new HpackEncoder();

        string first = Encode(encoder, (name, value));

        Assert.Equal(0x10, Convert.FromHexString(first)[0] & 0xF0);
        Assert.Equal(0, encoder.DynamicTable.Count);
        Assert.Equal($"{name}: {value} [never indexed]", Decode(new HpackDecoder(4096, 16384), Convert.FromHexString(first)));
        Assert.Equal(first, Encode(encoder, (name, value)));
    }

    [Theory]
    [InlineData("date", "Mon, 21 Oct 2013 20:13:21 GMT")]
    [InlineData("content-length", "1234")]
    [InlineData(":path", "/search?q=1")]
    [InlineData("etag", "\"abc\"")]
    [InlineData("last-modified", "Mon, 21 Oct 2013 20:13:21 GMT")]
    public void Encode_FieldsThatChangeEveryMessage_WithoutIndexing(string name, string value)
    {
        var encoder = new HpackEncoder();

        string block = Encode(encoder, (name, value));

        Assert.Equal(0x00, Convert.FromHexString(block)[0] & 0xF0);
        Assert.Equal(0, encoder.DynamicTable.Count);
    }

    [Fact]
    public void Encode_RepeatedResponseField_IndexedThenOneByte()
    {
        var encoder = new HpackEncoder();

        string first = Encode(encoder, ("server", "proxy"), ("content-type", "text/html; charset=utf-8"));
        string second = Encode(encoder, ("server", "proxy"), ("content-type", "text/html; charset=utf-8"));

        Assert.Equal(0x40, Convert.FromHexString(first)[0] & 0xC0);
        Assert.Equal("bfbe", second);
    }

    [Fact]
    public void Encode_StaticFullMatches_OneByte()
    {
        Assert.Equal("8887", Encode(new HpackEncoder(), (":status", "200"), (":scheme", "https")));
    }

    [Fact]
    public void Encode_UppercaseName_WrittenLowercase()
    {
        var encoder = new HpackEncoder();

        string block = Encode(encoder, ("Content-Type", "text/plain"), ("X-Custom-Header", "Value"));

        Assert.Equal("content-type: text/plain\nx-custom-header: Value", Decode(new HpackDecoder(4096, 16384), Convert.FromHexString(block)));
        Assert.Equal("bebf".Length, Encode(encoder, ("content-type", "text/plain"), ("x-custom-header", "Value")).Length);
    }

    [Fact]
    public void Encode_LongUppercaseName_WrittenLowercase()
    {
        string name = "X-" + new string('A', 300);

        string block = Encode(new HpackEncoder(), (name, "v"));

        Assert.Equal($"{name.ToLowerInvariant()}: v", Decode(new HpackDecoder(4096, 16384), Convert.FromHexString(block)));
    }

    [Fact]
    public void Encode_ValueLongerWithHuffman_SentRaw()
    {
        var output = new ArrayBufferWriter<byte>();
        new HpackEncoder().Encode(output, Bytes("x-bin"), [0xFF, 0xFE, 0xFD], HpackIndexing.WithoutIndexing);

        Assert.EndsWith("03fffefd", Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void Encode_EntryLargerThanThreeQuartersOfTheTable_NotIndexed()
    {
        var encoder = new HpackEncoder(256);

        Encode(encoder, ("x-big", new string('v', 160)));
        Assert.Equal(0, encoder.DynamicTable.Count);
        Encode(encoder, ("x-big", new string('v', 150)));
        Assert.Equal(1, encoder.DynamicTable.Count);
    }

    [Fact]
    public void Encode_NeverIndexedRequested_EvenForAStaticFullMatch()
    {
        var encoder = new HpackEncoder();

        string block = Encode(encoder, HpackIndexing.NeverIndexed, (":method", "GET"));

        Assert.Equal(":method: GET [never indexed]", Decode(new HpackDecoder(4096, 16384), Convert.FromHexString(block)));
    }

    [Theory]
    [InlineData(200, "88")]
    [InlineData(204, "89")]
    [InlineData(206, "8a")]
    [InlineData(304, "8b")]
    [InlineData(400, "8c")]
    [InlineData(404, "8d")]
    [InlineData(500, "8e")]
    [InlineData(302, "48826402")]
    public void EncodeStatus_Status_StaticIndexOrIndexedLiteral(int status, string hex)
    {
        var output = new ArrayBufferWriter<byte>();

        new HpackEncoder().EncodeStatus(output, status);

        Assert.Equal(hex, Convert.ToHexStringLower(output.WrittenSpan));
    }

    // ---- dynamic table size (RFC 7541 §4.2) ------------------------------------------------------------

    [Fact]
    public void SetPeerHeaderTableSize_Zero_SizeUpdateAtTheNextBlockAndNothingIndexed()
    {
        var encoder = new HpackEncoder();
        Encode(encoder, ("server", "proxy"));

        encoder.SetPeerHeaderTableSize(0);
        string block = Encode(encoder, ("server", "proxy"));

        Assert.StartsWith("20", block);
        Assert.Equal(0, encoder.DynamicTable.Count);
        Assert.Equal("", Encode(encoder));
    }

    [Fact]
    public void SetPeerHeaderTableSize_DownThenUp_SmallestThenFinalAnnounced()
    {
        var encoder = new HpackEncoder(4096);

        encoder.SetPeerHeaderTableSize(1024);
        encoder.SetPeerHeaderTableSize(2048);

        Assert.Equal("3fe1073fe10f", Encode(encoder));
        Assert.Equal(2048, encoder.DynamicTable.MaxSize);
    }

    [Fact]
    public void SetPeerHeaderTableSize_AboveOurMaximum_CappedAndNoUpdateWhenUnchanged()
    {
        var encoder = new HpackEncoder(4096);

        encoder.SetPeerHeaderTableSize(65536);

        Assert.Equal("", Encode(encoder));
        Assert.Equal(4096, encoder.DynamicTable.MaxSize);
    }

    [Fact]
    public void Reset_AfterUse_BehavesAsNew()
    {
        var encoder = new HpackEncoder(256);
        Encode(encoder, ("server", "proxy"));

        encoder.Reset();

        Assert.Equal(0, encoder.DynamicTable.Count);
        Assert.StartsWith("3fe101", Encode(encoder, ("server", "proxy")));
    }

    // ---- against the decoder ---------------------------------------------------------------------------

    [Fact]
    public void EncodeThenDecode_RandomHeaderListsAcrossBlocksAndTableSizes_DecoderMirrorsTheEncoder()
    {
        string[] names = [":status", ":path", ":authority", "content-type", "server", "date", "set-cookie", "cookie", "x-trace", "x-a", "vary", "Cache-Control"];
        Gen<(string, string)> field = Gen.Select(Gen.Int[0, names.Length - 1], Gen.String[Gen.Char['!', '~'], 0, 40]).Select((n, v) => (names[n], v));
        // Mode 0..3 is the HpackIndexing to use; 4 is Auto after a change of the peer's SETTINGS_HEADER_TABLE_SIZE.
        Gen<(int, (string, string)[], int)> block = Gen.Select(Gen.Int[0, 4], field.Array[0, 12], Gen.Int[0, 4096]);

        Gen.Select(Gen.Int[0, 4096], block.Array[1, 8], Gen.Bool).Sample((maxTable, blocks, huffman) =>
        {
            var encoder = new HpackEncoder(maxTable) { UseHuffman = huffman };
            var decoder = new HpackDecoder(4096, 64 * 1024);
            foreach ((int mode, (string, string)[] fields, int peerSize) in blocks)
            {
                if (mode == 4) encoder.SetPeerHeaderTableSize((uint)peerSize);
                HpackIndexing indexing = mode == 4 ? HpackIndexing.Auto : (HpackIndexing)mode;
                string hex = Encode(encoder, indexing, fields);
                string decoded = Decode(decoder, Convert.FromHexString(hex));
                string expected = string.Join("\n", fields.Select(f => $"{f.Item1.ToLowerInvariant()}: {f.Item2}{(IsNeverIndexed(f.Item1, indexing) ? " [never indexed]" : "")}"));
                Assert.Equal(expected, decoded);
                Assert.Equal(TableOf(encoder.DynamicTable), TableOf(decoder.DynamicTable));
            }
        }, iter: 500);

        static bool IsNeverIndexed(string name, HpackIndexing indexing) =>
            indexing == HpackIndexing.NeverIndexed || (indexing == HpackIndexing.Auto && name is "set-cookie" or "cookie");
    }
}
