using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Hpack.HpackHarness;

namespace Proxy.Protocols.Tests.Hpack;

public class HpackDecoderTests
{
    private static HpackDecoder Default() => new(4096, 16 * 1024);

    // The RFC 7541 C.5 and C.6 examples assume both sides already agreed on a 256-byte table.
    private static HpackDecoder Small() => new(256, 16 * 1024, initialDynamicTableSize: 256);

    // ---- RFC 7541 Appendix C.2: one representation each --------------------------------------------------

    [Fact]
    public void Decode_C21LiteralWithIncrementalIndexing_FieldAddedToTable()
    {
        (string fields, string table) = DecodesAllWays(Default, Hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"));

        Assert.Equal("custom-key: custom-header", fields);
        Assert.Equal("[1] custom-key: custom-header\nsize 55", table);
    }

    [Fact]
    public void Decode_C22LiteralWithoutIndexing_TableUnchanged()
    {
        (string fields, string table) = DecodesAllWays(Default, Hex("040c2f73616d706c652f70617468"));

        Assert.Equal(":path: /sample/path", fields);
        Assert.Equal("size 0", table);
    }

    [Fact]
    public void Decode_C23NeverIndexedLiteral_ReportedAsNeverIndexed()
    {
        (string fields, string table) = DecodesAllWays(Default, Hex("100870617373776f726406736563726574"));

        Assert.Equal("password: secret [never indexed]", fields);
        Assert.Equal("size 0", table);
    }

    [Fact]
    public void Decode_C24IndexedField_FromStaticTable()
    {
        Assert.Equal((":method: GET", "size 0"), DecodesAllWays(Default, Hex("82")));
    }

    [Fact]
    public void Decode_StaticNames_ReportTheirStaticIndex()
    {
        var decoder = Default();
        var handler = new CollectingHandler();

        // Indexed static, literal with static name, literal name, literal name indexed, the same from the dynamic table.
        decoder.Decode(Hex("82 040c2f73616d706c652f70617468 100870617373776f726406736563726574 400a637573746f6d2d6b65790d637573746f6d2d686561646572 be"), true, ref handler);

        Assert.Equal([2, 4, 0, 0, 0], handler.StaticIndices);
        Assert.Equal("custom-key: custom-header", handler.Fields[^1]);
    }

    // ---- RFC 7541 Appendix C.3 and C.4: requests on one connection -------------------------------------

    private static readonly byte[] C31 = Hex("828684410f7777772e6578616d706c652e636f6d");
    private static readonly byte[] C32 = Hex("828684be58086e6f2d6361636865");
    private static readonly byte[] C33 = Hex("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
    private static readonly byte[] C41 = Hex("828684418cf1e3c2e5f23a6ba0ab90f4ff");
    private static readonly byte[] C42 = Hex("828684be5886a8eb10649cbf");
    private static readonly byte[] C43 = Hex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");

    private const string Request1 = ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com";
    private const string Request2 = Request1 + "\ncache-control: no-cache";
    private const string Request3 = ":method: GET\n:scheme: https\n:path: /index.html\n:authority: www.example.com\ncustom-key: custom-value";
    private const string Table1 = "[1] :authority: www.example.com\nsize 57";
    private const string Table2 = "[1] cache-control: no-cache\n[2] :authority: www.example.com\nsize 110";
    private const string Table3 = "[1] custom-key: custom-value\n[2] cache-control: no-cache\n[3] :authority: www.example.com\nsize 164";

    [Fact]
    public void Decode_C3RequestsWithoutHuffman_FieldsAndTableAfterEach()
    {
        Assert.Equal((Request1, Table1), DecodesAllWays(Default, C31));
        Assert.Equal((Request2, Table2), DecodesAllWays(Default, C32, C31));
        Assert.Equal((Request3, Table3), DecodesAllWays(Default, C33, C31, C32));
    }

    [Fact]
    public void Decode_C4RequestsWithHuffman_FieldsAndTableAfterEach()
    {
        Assert.Equal((Request1, Table1), DecodesAllWays(Default, C41));
        Assert.Equal((Request2, Table2), DecodesAllWays(Default, C42, C41));
        Assert.Equal((Request3, Table3), DecodesAllWays(Default, C43, C41, C42));
    }

    // ---- RFC 7541 Appendix C.5 and C.6: responses, table of 256 with eviction ---------------------------

    private static readonly byte[] C51 = Hex("4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d");
    private static readonly byte[] C52 = Hex("4803333037c1c0bf");
    private static readonly byte[] C53 = Hex("88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31");
    private static readonly byte[] C61 = Hex("488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3");
    private static readonly byte[] C62 = Hex("4883640effc1c0bf");
    private static readonly byte[] C63 = Hex("88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007");

    private const string Response1 = ":status: 302\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com";
    private const string Response2 = ":status: 307\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com";
    private const string Response3 = ":status: 200\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:22 GMT\nlocation: https://www.example.com\ncontent-encoding: gzip\nset-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
    private const string ResponseTable1 = "[1] location: https://www.example.com\n[2] date: Mon, 21 Oct 2013 20:13:21 GMT\n[3] cache-control: private\n[4] :status: 302\nsize 222";
    private const string ResponseTable2 = "[1] :status: 307\n[2] location: https://www.example.com\n[3] date: Mon, 21 Oct 2013 20:13:21 GMT\n[4] cache-control: private\nsize 222";
    private const string ResponseTable3 = "[1] set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n[2] content-encoding: gzip\n[3] date: Mon, 21 Oct 2013 20:13:22 GMT\nsize 215";

    [Fact]
    public void Decode_C5ResponsesWithoutHuffman_EvictionAfterEach()
    {
        Assert.Equal((Response1, ResponseTable1), DecodesAllWays(Small, C51));
        Assert.Equal((Response2, ResponseTable2), DecodesAllWays(Small, C52, C51));
        Assert.Equal((Response3, ResponseTable3), DecodesAllWays(Small, C53, C51, C52));
    }

    [Fact]
    public void Decode_C6ResponsesWithHuffman_EvictionAfterEach()
    {
        Assert.Equal((Response1, ResponseTable1), DecodesAllWays(Small, C61));
        Assert.Equal((Response2, ResponseTable2), DecodesAllWays(Small, C62, C61));
        Assert.Equal((Response3, ResponseTable3), DecodesAllWays(Small, C63, C61, C62));
    }

    // ---- malformed blocks ------------------------------------------------------------------------------

    [Fact]
    public void Decode_IndexZero_RejectsCompressionError()
    {
        Assert.Equal(Http2RejectReason.HpackInvalidIndex, RejectsAllWays(Default, Hex("80")));
        Assert.Equal(Http2ErrorCode.CompressionError, Http2RejectErrorCode.Of(Http2RejectReason.HpackInvalidIndex));
    }

    [Fact]
    public void Decode_IndexBeyondBothTables_Rejects()
    {
        Assert.Equal(Http2RejectReason.HpackInvalidIndex, RejectsAllWays(Default, Hex("be")));
        Assert.Equal(Http2RejectReason.HpackInvalidIndex, RejectsAllWays(Default, Hex("bf"), C31));
        Assert.Equal(Http2RejectReason.HpackInvalidIndex, RejectsAllWays(Default, Hex("7f00 0161")));
    }

    [Fact]
    public void Decode_IndexLastDynamicEntry_Accepted()
    {
        Assert.Equal(":authority: www.example.com", DecodesAllWays(Default, Hex("be"), C31).Fields);
    }

    [Fact]
    public void Decode_IntegerOverflow_Rejects()
    {
        Assert.Equal(Http2RejectReason.HpackIntegerOverflow, RejectsAllWays(Default, Hex("ff 80 80 80 80 80 01")));
    }

    [Theory]
    [InlineData("ff")]              // index cut in its continuation bytes
    [InlineData("4003")]            // literal name length 3, no bytes
    [InlineData("4003616263")]      // name, no value length
    [InlineData("400361626303")]    // value length 3, no bytes
    [InlineData("82 4003616263036465")]
    public void Decode_BlockEndingInsideARepresentation_RejectsTruncated(string hex)
    {
        Assert.Equal(Http2RejectReason.HpackTruncatedBlock, RejectsAllWays(Default, Hex(hex)));
    }

    [Fact]
    public void Decode_HuffmanStringWithZeroPadding_Rejects()
    {
        // Literal without indexing, literal name "a" Huffman-coded with padding 000.
        Assert.Equal(Http2RejectReason.HuffmanInvalidPadding, RejectsAllWays(Default, Hex("00 81 18 01 61")));
    }

    [Fact]
    public void Decode_HuffmanStringHoldingEos_Rejects()
    {
        Assert.Equal(Http2RejectReason.HuffmanEndOfString, RejectsAllWays(Default, Hex("00 01 61 84 ffffffff")));
    }

    // ---- dynamic table size updates (RFC 7541 §4.2, §6.3) ----------------------------------------------

    [Fact]
    public void Decode_SizeUpdatesAtTheStart_AppliedInOrder()
    {
        (string fields, string table) = DecodesAllWays(Default, Hex("20 3f e1 1f 82 400161 0162"), C31);

        Assert.Equal(":method: GET\na: b", fields);
        Assert.Equal("[1] a: b\nsize 34", table);
    }

    [Fact]
    public void Decode_SizeUpdateToZero_EmptiesTheTable()
    {
        Assert.Equal(("", "size 0"), DecodesAllWays(Default, Hex("20"), C31));
    }

    [Fact]
    public void Decode_SizeUpdateAfterAField_RejectsNotAtStart()
    {
        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateNotAtStart, RejectsAllWays(Default, Hex("82 20")));
    }

    [Fact]
    public void Decode_SizeUpdateInASecondFragmentBeforeAnyField_Accepted()
    {
        var decoder = Default();
        var handler = new CollectingHandler();

        decoder.Decode(Hex("3f e1 1f"), false, ref handler);
        decoder.Decode(Hex("20 82"), true, ref handler);

        Assert.Equal(0, decoder.DynamicTable.MaxSize);
    }

    [Fact]
    public void Decode_SizeUpdateAboveTheLimit_RejectsByOneByte()
    {
        // 4097 = 31 + 4066 = 1f e2 1f; 4096 = 1f e1 1f.
        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateTooLarge, RejectsAllWays(Default, Hex("3f e2 1f")));
        Assert.Equal("size 0", DecodesAllWays(Default, Hex("3f e1 1f")).Table);
    }

    [Fact]
    public void Decode_SizeUpdateAfterALimitWasLowered_BoundByTheNewLimit()
    {
        var decoder = Default();
        decoder.SetMaxDynamicTableSize(1024);

        // 1025 = 31 + 994 = 3f e2 07.
        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateTooLarge, RejectionOf(() => Decode(decoder, Hex("3f e2 07"))));
    }

    [Fact]
    public void Decode_FirstBlockAfterTheLimitWasLowered_MustStartWithASizeUpdate()
    {
        Func<HpackDecoder> lowered = () =>
        {
            HpackDecoder decoder = Default();
            Decode(decoder, C31);
            decoder.SetMaxDynamicTableSize(1024);
            return decoder;
        };

        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateMissing, RejectsAllWays(lowered, Hex("82")));
        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateMissing, RejectsAllWays(lowered, []));
        Assert.Equal((":method: GET", Table1), DecodesAllWays(lowered, Hex("3f e1 07 82")));
    }

    [Fact]
    public void Decode_BeforeOurSmallerSettingIsAcknowledged_PeerMayStillUseTheInitial4096()
    {
        // We advertise a table of 0; until the peer acknowledges, its encoder may index as RFC 9113 §6.5.2's 4096 allows.
        var decoder = new HpackDecoder(0, 16 * 1024);
        Decode(decoder, C31);
        Assert.Equal(Table1, TableOf(decoder.DynamicTable));

        decoder.SetMaxDynamicTableSize(0);

        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateMissing, RejectionOf(() => Decode(decoder, Hex("be"))));
    }

    [Fact]
    public void Decode_LargerTableAdvertised_UsedOnlyAfterAcknowledgementAndASizeUpdate()
    {
        var decoder = new HpackDecoder(65536, 16 * 1024);
        Assert.Equal(4096, decoder.DynamicTable.MaxSize);
        Assert.Equal(Http2RejectReason.HpackTableSizeUpdateTooLarge, RejectionOf(() => Decode(decoder, Hex("3f e2 1f"))));

        decoder.Reset();
        decoder.SetMaxDynamicTableSize(65536);
        Decode(decoder, Hex("3f e1 ff 03"));   // 65536 = 31 + 65505

        Assert.Equal(65536, decoder.DynamicTable.MaxSize);
    }

    [Fact]
    public void Decode_LimitRaised_NoSizeUpdateRequired()
    {
        var decoder = new HpackDecoder(8192, 16 * 1024);
        decoder.SetMaxDynamicTableSize(1024);
        Decode(decoder, Hex("3f e1 07"));

        decoder.SetMaxDynamicTableSize(8192);

        Assert.Equal(":method: GET", Decode(decoder, Hex("82")));
        Assert.Equal(8192, decoder.MaxDynamicTableSizeLimit);
    }

    // ---- header list size and the HPACK bomb -----------------------------------------------------------

    [Fact]
    public void Decode_HeaderListExactlyAtTheLimit_Accepted()
    {
        // C.3.1 decodes to 42 + 43 + 38 + 57 = 180 bytes in RFC 9113 §6.5.2 terms.
        var decoder = new HpackDecoder(4096, 180);

        Assert.Equal(Request1, Decode(decoder, C31));
        Assert.Equal(180, decoder.HeaderListSize);
    }

    [Fact]
    public void Decode_HeaderListOneByteOverTheLimit_RejectsEnhanceYourCalm()
    {
        Assert.Equal(Http2RejectReason.HeaderListTooLarge, RejectsAllWays(() => new HpackDecoder(4096, 179), C31));
        Assert.Equal(Http2RejectReason.HeaderListTooLarge, RejectsAllWays(() => new HpackDecoder(4096, 179), C41));
        Assert.Equal(Http2ErrorCode.EnhanceYourCalm, Http2RejectErrorCode.Of(Http2RejectReason.HeaderListTooLarge));
    }

    [Fact]
    public void Decode_HeaderListSize_CountedPerBlock()
    {
        var decoder = new HpackDecoder(4096, 180);

        Decode(decoder, C31);
        Decode(decoder, Hex("828684be"));

        Assert.Equal(180, decoder.HeaderListSize);
    }

    [Fact]
    public void Decode_IndexedBomb_RejectedAtTheFieldThatCrossesTheLimitBeforeItIsHandedOver()
    {
        // One 4000-byte value in the table, then a 1000-byte block referencing it 1000 times: 4 MB decoded.
        var decoder = new HpackDecoder(4096, 16 * 1024);
        var value = new string('v', 4000);
        Decode(decoder, [0x40, 0x01, (byte)'x', 0x7f, .. EncodeLength(4000 - 127), .. System.Text.Encoding.ASCII.GetBytes(value)]);
        byte[] bomb = Enumerable.Repeat((byte)0xbe, 1000).ToArray();
        var handler = new CollectingHandler();

        Http2RejectReason reason = RejectionOf(() => decoder.Decode(bomb, true, ref handler));

        Assert.Equal(Http2RejectReason.HeaderListTooLarge, reason);
        Assert.Equal(4, handler.Fields.Count);   // 4 x 4033 fits in 16384, the fifth does not
    }

    [Fact]
    public void Decode_HugeHuffmanLiteral_RejectedFromItsLengthBeforeItsBytesArrive()
    {
        // Value length 65536 Huffman-coded: at least 17476 bytes decoded, over a 16 KiB limit. Only the prefix is sent.
        var decoder = new HpackDecoder(4096, 16 * 1024);
        var handler = new CollectingHandler();

        Http2RejectReason reason = RejectionOf(() => decoder.Decode(Hex("00 01 61 ff 81 ff 03"), false, ref handler));

        Assert.Equal(Http2RejectReason.HeaderListTooLarge, reason);
    }

    [Fact]
    public void Decode_RawLiteralLongerThanTheLimit_RejectedFromItsLength()
    {
        var decoder = new HpackDecoder(4096, 100);
        var handler = new CollectingHandler();

        Assert.Equal(Http2RejectReason.HeaderListTooLarge, RejectionOf(() => decoder.Decode(Hex("00 01 61 7f 20"), false, ref handler)));
    }

    [Fact]
    public void Decode_HuffmanValueDecodingPastTheBudget_Rejected()
    {
        // "www.example.com" (15 bytes) Huffman-coded in 12: fits 32 + 1 + 12 = 45 by encoded length, not decoded.
        var decoder = new HpackDecoder(4096, 47);
        var handler = new CollectingHandler();

        Assert.Equal(Http2RejectReason.HeaderListTooLarge, RejectionOf(() => decoder.Decode(Hex("00 01 61 8c f1e3c2e5f23a6ba0ab90f4ff"), true, ref handler)));
        Assert.Equal("a: www.example.com", Decode(new HpackDecoder(4096, 48), Hex("00 01 61 8c f1e3c2e5f23a6ba0ab90f4ff")));
    }

    // ---- resumption and reuse --------------------------------------------------------------------------

    [Fact]
    public void Decode_LiteralWhoseIndexedNameIsEvictedByItsOwnInsertion_KeepsTheName()
    {
        // Table of 64: "x-long-name: v" (32 + 11 + 1 = 44), then a literal naming index 62 with a 10-byte value:
        // 53 bytes, so the entry it names must go first.
        var decoder = new HpackDecoder(64, 16 * 1024, initialDynamicTableSize: 64);
        Decode(decoder, Hex("40 0b 782d6c6f6e672d6e616d65 01 76"));

        Assert.Equal("x-long-name: 0123456789", Decode(decoder, Hex("7e 0a 30313233343536373839")));
        Assert.Equal("[1] x-long-name: 0123456789\nsize 53", TableOf(decoder.DynamicTable));
    }

    [Fact]
    public void Reset_AfterAnError_DecodesAFreshConnection()
    {
        var decoder = Default();
        Decode(decoder, C31);
        RejectionOf(() => Decode(decoder, Hex("4003")));

        decoder.Reset();

        Assert.Equal((Request1, Table1), (Decode(decoder, C31), TableOf(decoder.DynamicTable)));
    }

    private static byte[] EncodeLength(int rest)
    {
        var bytes = new List<byte>();
        for (; rest >= 0x80; rest >>= 7) bytes.Add((byte)(rest | 0x80));
        bytes.Add((byte)rest);
        return [.. bytes];
    }
}
