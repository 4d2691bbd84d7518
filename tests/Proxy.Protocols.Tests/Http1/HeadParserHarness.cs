using System.Buffers;
using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>
/// Feeds one head to a parser in every way a pipe can deliver it - whole, one byte per segment, split in two at
/// every offset, and growing one byte per call on the same head object - and checks every way agrees.
/// </summary>
internal sealed class HeadParserHarness<THead>(Func<THead> newHead, HeadParserHarness<THead>.Parse parse, string otherValidHead)
    where THead : MessageHead
{
    public delegate bool Parse(in ReadOnlySequence<byte> input, THead head, out SequencePosition consumed);

    /// <summary>A fresh head, as the parser under test would get it.</summary>
    public THead NewHead() => newHead();

    /// <summary>Parses <paramref name="bytes"/> whole into a fresh head; null when incomplete.</summary>
    public THead? TryParseWhole(byte[] bytes, out long consumed)
    {
        THead head = newHead();
        var input = new ReadOnlySequence<byte>(bytes);
        bool complete = parse(input, head, out SequencePosition position);
        consumed = complete ? OffsetOf(input, position) : -1;
        return complete ? head : null;
    }

    /// <summary>
    /// Asserts that <paramref name="text"/> (Latin-1) starts with a complete valid head that every delivery parses
    /// identically, that every shorter prefix is reported incomplete, and returns the head parsed from the whole input.
    /// </summary>
    public THead ParsesAllWays(string text) => ParsesAllWays(Bytes(text));

    /// <inheritdoc cref="ParsesAllWays(string)"/>
    public THead ParsesAllWays(byte[] bytes)
    {
        THead? whole = null;
        HeadSnapshot? expected = null;
        foreach ((string shape, ReadOnlySequence<byte> input) in AllShapes(bytes))
        {
            THead head = newHead();
            Assert.True(parse(input, head, out SequencePosition consumed), $"{shape}: reported incomplete");
            HeadSnapshot actual = HeadSnapshot.Of(head, OffsetOf(input, consumed));
            whole ??= head;
            expected ??= actual;
            AssertSame(expected, actual, shape);
        }

        AssertSame(expected!, ParseGrowing(bytes, (int)expected!.Consumed), "growing one byte per call");

        THead reused = newHead();
        Assert.True(parse(new ReadOnlySequence<byte>(Bytes(otherValidHead)), reused, out _));
        var again = new ReadOnlySequence<byte>(bytes);
        Assert.True(parse(again, reused, out SequencePosition end));
        AssertSame(expected, HeadSnapshot.Of(reused, OffsetOf(again, end)), "head reused after another message");
        return whole!;
    }

    /// <summary>
    /// Asserts that every delivery of <paramref name="text"/> is rejected for the same reason, that a growing input is
    /// rejected for it no later than when complete, and never reported complete; returns the reason.
    /// </summary>
    public RejectReason RejectsAllWays(string text) => RejectsAllWays(Bytes(text));

    /// <inheritdoc cref="RejectsAllWays(string)"/>
    public RejectReason RejectsAllWays(byte[] bytes)
    {
        RejectReason? expected = null;
        foreach ((string shape, ReadOnlySequence<byte> input) in AllShapes(bytes))
        {
            THead head = newHead();
            RejectReason reason = RejectionOf(() => parse(input, head, out _), shape);
            expected ??= reason;
            Assert.True(expected == reason, $"{shape}: rejected for {reason}, whole input for {expected}");
        }

        THead growing = newHead();
        for (int length = 0; length <= bytes.Length; length++)
        {
            ReadOnlySequence<byte> prefix = Prefix(bytes, length);
            try
            {
                Assert.False(parse(prefix, growing, out _), $"prefix of {length} bytes reported complete");
            }
            catch (HttpRejectException e)
            {
                Assert.True(expected == e.Reason, $"prefix of {length} bytes rejected for {e.Reason}, whole input for {expected}");
                return expected!.Value;
            }
        }
        Assert.Fail("growing input was never rejected");
        return RejectReason.None;
    }

    /// <summary>The reason the whole of <paramref name="text"/> is rejected for, or None when it is not.</summary>
    public RejectReason RejectionOfWhole(string text)
    {
        try
        {
            parse(new ReadOnlySequence<byte>(Bytes(text)), newHead(), out _);
            return RejectReason.None;
        }
        catch (HttpRejectException e)
        {
            return e.Reason;
        }
    }

    /// <summary>Feeds prefixes of growing length to one head, alternating one segment and one byte per segment.</summary>
    private HeadSnapshot ParseGrowing(byte[] bytes, int headLength)
    {
        THead head = newHead();
        for (int length = 0; length < headLength; length++)
        {
            Assert.False(parse(Prefix(bytes, length), head, out _), $"prefix of {length} bytes reported complete");
        }
        ReadOnlySequence<byte> all = Prefix(bytes, bytes.Length);
        Assert.True(parse(all, head, out SequencePosition consumed), "complete input reported incomplete");
        return HeadSnapshot.Of(head, OffsetOf(all, consumed));
    }

    private static ReadOnlySequence<byte> Prefix(byte[] bytes, int length) =>
        length % 2 == 0 ? new ReadOnlySequence<byte>(bytes, 0, length) : OneBytePerSegment(bytes[..length]);

    private static RejectReason RejectionOf(Func<bool> parse, string shape)
    {
        try
        {
            bool complete = parse();
            Assert.Fail($"{shape}: not rejected (returned {complete})");
            return RejectReason.None;
        }
        catch (HttpRejectException e)
        {
            return e.Reason;
        }
    }

    private static void AssertSame(HeadSnapshot expected, HeadSnapshot actual, string shape)
    {
        if (!expected.Equals(actual)) Assert.Fail($"{shape}:\nexpected {expected}\nactual   {actual}");
    }
}

/// <summary>Harnesses for the two head parsers.</summary>
internal static class HeadParserHarness
{
    public static HeadParserHarness<RequestHead> ForRequests(HeadLimits limits) => new(
        () => new RequestHead(limits), RequestHeadParser.TryParse, "POST /other?x=1 HTTP/1.0\r\nHost: other\r\nContent-Length: 3\r\nX-Old: 1\r\n\r\n");

    public static HeadParserHarness<ResponseHead> ForResponses(HeadLimits limits, KnownMethod requestMethod = KnownMethod.Get) => new(
        () => new ResponseHead(limits),
        (in ReadOnlySequence<byte> input, ResponseHead head, out SequencePosition consumed) =>
            ResponseHeadParser.TryParse(input, head, requestMethod, out consumed),
        "HTTP/1.0 404 Not Here\r\nContent-Length: 3\r\nX-Old: 1\r\n\r\n");
}
