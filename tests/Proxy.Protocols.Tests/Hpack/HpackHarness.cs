using System.Buffers;
using System.Text;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Hpack;

/// <summary>Collects decoded fields as "name: value" lines, marking never-indexed ones and static name indices.</summary>
internal struct CollectingHandler : IHpackHeaderHandler
{
    public CollectingHandler() { }

    public List<string> Fields { get; } = [];

    public List<int> StaticIndices { get; } = [];

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, int staticIndex, bool neverIndexed)
    {
        Fields.Add($"{Text(name)}: {Text(value)}{(neverIndexed ? " [never indexed]" : "")}");
        StaticIndices.Add(staticIndex);
    }

    public override readonly string ToString() => string.Join("\n", Fields);
}

/// <summary>Feeds field blocks to <see cref="HpackDecoder"/> in every way frames and pipes can cut them, and checks they agree.</summary>
internal static class HpackHarness
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>The dynamic table, newest first, and its size: what must be the same after any delivery.</summary>
    public static string TableOf(DynamicTable table)
    {
        var text = new StringBuilder();
        for (int i = 1; i <= table.Count; i++) text.Append($"[{i}] {Text(table.GetName(i))}: {Text(table.GetValue(i))}\n");
        return text.Append($"size {table.Size}").ToString();
    }

    /// <summary>Decodes one whole block (one span, END_HEADERS).</summary>
    public static string Decode(HpackDecoder decoder, byte[] block)
    {
        var handler = new CollectingHandler();
        decoder.Decode(block, endHeaders: true, ref handler);
        return handler.ToString();
    }

    /// <summary>Every way a block can reach the decoder: pipe segments within one fragment, and CONTINUATION fragments.</summary>
    public static IEnumerable<(string Shape, Action<HpackDecoder, CollectingHandler> Feed)> Deliveries(byte[] block)
    {
        yield return ("one span", (d, h) => d.Decode(block, true, ref h));
        yield return ("one byte per segment", (d, h) => d.Decode(OneBytePerSegment(block), true, ref h));
        yield return ("one byte per fragment", (d, h) =>
        {
            if (block.Length == 0) d.Decode(ReadOnlySpan<byte>.Empty, true, ref h);
            for (int i = 0; i < block.Length; i++) d.Decode(block.AsSpan(i, 1), i == block.Length - 1, ref h);
        });
        for (int offset = 0; offset <= block.Length; offset++)
        {
            int at = offset;
            yield return ($"segments split at {at}", (d, h) => d.Decode(SplitAt(block, at), true, ref h));
            yield return ($"fragments split at {at}", (d, h) =>
            {
                d.Decode(block.AsSpan(0, at), false, ref h);
                d.Decode(block.AsSpan(at), true, ref h);
            });
            yield return ($"three fragments at {at}", (d, h) =>
            {
                int second = at + (block.Length - at) / 2;
                d.Decode(SplitAt(block[..second], at / 2), false, ref h);
                d.Decode(block.AsSpan(second, 0), false, ref h);
                d.Decode(block.AsSpan(second), true, ref h);
            });
        }
    }

    /// <summary>
    /// Asserts that <paramref name="block"/>, decoded after <paramref name="before"/> (each whole) by a decoder from
    /// <paramref name="create"/>, gives the same fields and the same table in every delivery; returns both.
    /// </summary>
    public static (string Fields, string Table) DecodesAllWays(Func<HpackDecoder> create, byte[] block, params byte[][] before)
    {
        (string, string)? expected = null;
        foreach ((string shape, Action<HpackDecoder, CollectingHandler> feed) in Deliveries(block))
        {
            HpackDecoder decoder = create();
            foreach (byte[] earlier in before) Decode(decoder, earlier);
            var handler = new CollectingHandler();
            feed(decoder, handler);
            Assert.False(decoder.IsInsideBlock, shape);
            (string, string) actual = (handler.ToString(), TableOf(decoder.DynamicTable));
            expected ??= actual;
            Assert.True(expected == actual, $"{shape}:\nexpected {expected}\nactual   {actual}");
        }
        return expected!.Value;
    }

    /// <summary>Asserts that every delivery of <paramref name="block"/> is rejected for the same reason, as a connection error; returns it.</summary>
    public static Http2RejectReason RejectsAllWays(Func<HpackDecoder> create, byte[] block, params byte[][] before)
    {
        Http2RejectReason? expected = null;
        foreach ((string shape, Action<HpackDecoder, CollectingHandler> feed) in Deliveries(block))
        {
            HpackDecoder decoder = create();
            foreach (byte[] earlier in before) Decode(decoder, earlier);
            Http2RejectReason reason = RejectionOf(() => feed(decoder, new CollectingHandler()), shape);
            expected ??= reason;
            Assert.True(expected == reason, $"{shape}: {reason}, whole block: {expected}");
        }
        return expected!.Value;
    }

    public static Http2RejectReason RejectionOf(Action decode, string shape = "")
    {
        try
        {
            decode();
            Assert.Fail($"{shape}: not rejected");
            return Http2RejectReason.None;
        }
        catch (Http2RejectException e)
        {
            Assert.Equal(Http2ErrorScope.Connection, e.Scope);
            return e.Reason;
        }
    }
}
