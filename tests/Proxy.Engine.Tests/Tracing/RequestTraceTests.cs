using System.Buffers;
using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Tracing;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Tests.Tracing;

/// <summary>What the proxy keeps, replaces and generates, per request.</summary>
public sealed class RequestTraceTests
{
    private const string Valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static readonly TracingConfig Generating = new() { GenerateTraceParent = true };

    [Fact]
    public void Begin_ValidTraceParent_PassesThroughUnchanged()
    {
        var trace = new RequestTrace(Generating, new Random(1));

        Begin(trace, Valid, "req-1");

        Assert.Equal(Valid, Text(trace.TraceParent));
        Assert.False(trace.TraceParentGenerated);
        Assert.False(trace.Replaces("traceparent"u8));
        Assert.False(trace.Replaces("TraceState"u8));
        Assert.Equal("req-1", Text(trace.RequestId));
        Assert.True(trace.Replaces("X-Request-Id"u8));          // ours, equal to the client's, written once
    }

    [Fact]
    public void Begin_NoTraceParentAndGenerationOn_StartsATraceAndReplacesTraceFields()
    {
        var trace = new RequestTrace(Generating, new Random(1));

        Begin(trace, null, null);

        Assert.True(trace.TraceParentGenerated);
        Assert.True(TraceParent.IsValid(trace.TraceParent));
        Assert.True(TraceParent.IsSampled(trace.TraceParent));
        Assert.True(trace.Replaces("traceparent"u8));
        Assert.True(trace.Replaces("tracestate"u8));
        Assert.Matches("^[0-9a-f]{32}$", Text(trace.RequestId));
        Assert.NotEqual(Text(TraceParent.TraceIdOf(trace.TraceParent)), Text(trace.RequestId));
    }

    [Fact]
    public void Begin_InvalidTraceParentAndGenerationOn_RestartsTheTrace()
    {
        var trace = new RequestTrace(Generating, new Random(1));

        Begin(trace, "00-00000000000000000000000000000000-00f067aa0ba902b7-01", null);

        Assert.True(trace.TraceParentGenerated);
        Assert.NotEqual("00000000000000000000000000000000", Text(TraceParent.TraceIdOf(trace.TraceParent)));
    }

    [Fact]
    public void Begin_InvalidTraceParentAndGenerationOff_LogsNoneAndPassesTheClientsFieldOn()
    {
        var trace = new RequestTrace(new TracingConfig(), new Random(1));

        Begin(trace, "garbage", null);

        Assert.True(trace.TraceParent.IsEmpty);
        Assert.False(trace.TraceParentGenerated);
        Assert.False(trace.Replaces("traceparent"u8));
        Assert.False(trace.Replaces("tracestate"u8));
    }

    [Fact]
    public void Begin_TraceParentSentTwice_IsTreatedAsInvalid()
    {
        var trace = new RequestTrace(Generating, new Random(1));

        trace.Begin(Encoding.ASCII.GetBytes(Valid), 2, default, 0);

        Assert.True(trace.TraceParentGenerated);
        Assert.NotEqual(Valid, Text(trace.TraceParent));
    }

    [Fact]
    public void Begin_SampleRateZero_GeneratesUnsampledTraces()
    {
        var trace = new RequestTrace(Generating with { SampleRate = 0 }, new Random(1));

        Begin(trace, null, null);

        Assert.False(TraceParent.IsSampled(trace.TraceParent));
    }

    [Fact]
    public void Begin_SampleRateTenPercent_SamplesAboutOneInTen()
    {
        var trace = new RequestTrace(Generating with { SampleRate = 0.1 }, new Random(99));
        int sampled = 0;
        for (int i = 0; i < 10_000; i++)
        {
            Begin(trace, null, null);
            if (TraceParent.IsSampled(trace.TraceParent)) sampled++;
        }

        Assert.InRange(sampled, 900, 1100);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public void Begin_InvalidRequestId_IsReplacedByAGeneratedOne(string requestId)
    {
        var trace = new RequestTrace(new TracingConfig(), new Random(1));

        Begin(trace, null, requestId);

        Assert.Matches("^[0-9a-f]{32}$", Text(trace.RequestId));
    }

    [Fact]
    public void Begin_RequestIdOf128Bytes_Kept_129_Replaced()
    {
        var trace = new RequestTrace(new TracingConfig(), new Random(1));

        Begin(trace, null, new string('a', 128));
        Assert.Equal(new string('a', 128), Text(trace.RequestId));

        Begin(trace, null, new string('a', 129));
        Assert.Equal(32, trace.RequestId.Length);
    }

    [Fact]
    public void Begin_RequestIdSentTwice_IsReplaced()
    {
        var trace = new RequestTrace(new TracingConfig(), new Random(1));

        trace.Begin(default, 0, "one"u8, 2);

        Assert.NotEqual("one", Text(trace.RequestId));
        Assert.Equal(32, trace.RequestId.Length);
    }

    [Fact]
    public void Begin_RequestIdOff_HasNoneAndReplacesNothing()
    {
        var trace = new RequestTrace(new TracingConfig { RequestId = false }, new Random(1));

        Begin(trace, Valid, "req-1");

        Assert.True(trace.RequestId.IsEmpty);
        Assert.False(trace.Replaces("x-request-id"u8));
        Assert.False(trace.ReplacesInResponse("x-request-id"u8));
        Assert.Equal(Valid, Text(trace.TraceParent));
    }

    [Fact]
    public void Begin_NextRequest_ForgetsThePreviousOne()
    {
        var trace = new RequestTrace(new TracingConfig(), new Random(1));
        Begin(trace, Valid, "first");

        Begin(trace, null, "second");

        Assert.True(trace.TraceParent.IsEmpty);
        Assert.Equal("second", Text(trace.RequestId));
    }

    [Fact]
    public void Begin_FromAParsedHead_FindsFieldsWhateverTheirCase()
    {
        var head = new RequestHead(HeadLimits.Default);
        byte[] bytes = Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: a\r\nTraceParent: {Valid}\r\nX-REQUEST-ID: abc-123\r\nAccept: */*\r\n\r\n");
        Assert.True(RequestHeadParser.TryParse(new ReadOnlySequence<byte>(bytes), head, out _));
        var trace = new RequestTrace(Generating, new Random(1));

        trace.Begin(head);

        Assert.Equal(Valid, Text(trace.TraceParent));
        Assert.Equal("abc-123", Text(trace.RequestId));
        Assert.True(trace.ReplacesInResponse("x-request-id"u8));
        Assert.False(trace.Replaces("accept"u8));
    }

    [Fact]
    public void Begin_Generating_AllocatesNothing()
    {
        var trace = new RequestTrace(Generating with { SampleRate = 0.5 }, Random.Shared);
        byte[] requestId = Encoding.ASCII.GetBytes("client-id");
        // Warm up with the very loop measured, so that tiering and first-use work of either branch is done before.
        for (int i = 0; i < 10_000; i++) trace.Begin(default, 0, i % 2 == 0 ? requestId : default, i % 2);

        // The least of three rounds: a round can catch the runtime's own one-off work on this thread (a method moving up
        // a tier meanwhile: 456 B once in a full parallel test run), while an allocation per call shows in every round.
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++) trace.Begin(default, 0, i % 2 == 0 ? requestId : default, i % 2);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    private static void Begin(RequestTrace trace, string? traceParent, string? requestId) =>
        trace.Begin(traceParent is null ? default : Encoding.ASCII.GetBytes(traceParent), traceParent is null ? 0 : 1,
            requestId is null ? default : Encoding.ASCII.GetBytes(requestId), requestId is null ? 0 : 1);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
