using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Tests.Http2;

public class FieldBlockTrackerTests
{
    private static FrameHeader H(FrameType type, FrameFlags flags, int streamId, int length = 10) => new(length, type, flags, streamId);

    private static Http2RejectReason RejectionOf(ref FieldBlockTracker tracker, FrameHeader header)
    {
        try
        {
            tracker.OnFrameHeader(header);
            return Http2RejectReason.None;
        }
        catch (Http2RejectException e)
        {
            Assert.Equal(Http2ErrorScope.Connection, e.Scope);
            return e.Reason;
        }
    }

    [Fact]
    public void OnFrameHeader_HeadersWithEndHeaders_NoBlockOpen()
    {
        var tracker = new FieldBlockTracker(1000, 4);

        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.EndHeaders, 1));

        Assert.False(tracker.IsOpen);
        tracker.OnFrameHeader(H(FrameType.Data, FrameFlags.None, 1));
    }

    [Fact]
    public void OnFrameHeader_HeadersThenContinuations_OpenUntilEndHeaders()
    {
        var tracker = new FieldBlockTracker(1000, 4);

        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.EndStream, 3));
        Assert.True(tracker.IsOpen);
        Assert.Equal(3, tracker.StreamId);
        tracker.OnFrameHeader(H(FrameType.Continuation, FrameFlags.None, 3));
        tracker.OnFrameHeader(H(FrameType.Continuation, FrameFlags.EndHeaders, 3));

        Assert.False(tracker.IsOpen);
        Assert.Equal(2, tracker.ContinuationFrames);
        Assert.Equal(30, tracker.BlockBytes);
    }

    [Fact]
    public void OnFrameHeader_PushPromiseWithoutEndHeaders_OpensABlock()
    {
        var tracker = new FieldBlockTracker(1000, 4);

        tracker.OnFrameHeader(H(FrameType.PushPromise, FrameFlags.None, 1));

        Assert.Equal(Http2RejectReason.ContinuationExpected, RejectionOf(ref tracker, H(FrameType.Data, FrameFlags.None, 1)));
    }

    [Theory]
    [InlineData(FrameType.Data, 1)]
    [InlineData(FrameType.Headers, 1)]
    [InlineData(FrameType.Ping, 0)]
    [InlineData(FrameType.Settings, 0)]
    [InlineData((FrameType)0x0b, 1)]
    [InlineData(FrameType.Continuation, 3)]
    public void OnFrameHeader_AnythingButContinuationOnTheSameStreamWhileOpen_RejectsProtocolError(FrameType type, int streamId)
    {
        var tracker = new FieldBlockTracker(1000, 4);
        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.None, 1));

        Assert.Equal(Http2RejectReason.ContinuationExpected, RejectionOf(ref tracker, H(type, FrameFlags.None, streamId)));
        Assert.Equal(Http2ErrorCode.ProtocolError, Http2RejectErrorCode.Of(Http2RejectReason.ContinuationExpected));
    }

    [Fact]
    public void OnFrameHeader_ContinuationWithNoBlockOpen_RejectsProtocolError()
    {
        var tracker = new FieldBlockTracker(1000, 4);
        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.EndHeaders, 1));

        Assert.Equal(Http2RejectReason.UnexpectedContinuation, RejectionOf(ref tracker, H(FrameType.Continuation, FrameFlags.EndHeaders, 1)));
    }

    [Fact]
    public void OnFrameHeader_BlockExactlyAtByteLimit_Accepted()
    {
        var tracker = new FieldBlockTracker(100, 4);

        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.None, 1, 60));
        tracker.OnFrameHeader(H(FrameType.Continuation, FrameFlags.EndHeaders, 1, 40));

        Assert.Equal(100, tracker.BlockBytes);
    }

    [Fact]
    public void OnFrameHeader_BlockOneByteOverLimit_RejectedFromTheFrameHeader()
    {
        var tracker = new FieldBlockTracker(100, 4);
        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.None, 1, 60));

        Assert.Equal(Http2RejectReason.FieldBlockTooLarge, RejectionOf(ref tracker, H(FrameType.Continuation, FrameFlags.EndHeaders, 1, 41)));
        Assert.Equal(Http2ErrorCode.EnhanceYourCalm, Http2RejectErrorCode.Of(Http2RejectReason.FieldBlockTooLarge));
    }

    [Fact]
    public void OnFrameHeader_SingleHeadersFrameOverLimit_Rejected()
    {
        var tracker = new FieldBlockTracker(100, 4);

        Assert.Equal(Http2RejectReason.FieldBlockTooLarge, RejectionOf(ref tracker, H(FrameType.Headers, FrameFlags.EndHeaders, 1, 101)));
    }

    [Fact]
    public void OnFrameHeader_EmptyContinuationFlood_RejectedAfterTheFrameLimit()
    {
        var tracker = new FieldBlockTracker(100, 3);
        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.None, 1, 0));
        for (int i = 0; i < 3; i++) tracker.OnFrameHeader(H(FrameType.Continuation, FrameFlags.None, 1, 0));

        Assert.Equal(Http2RejectReason.TooManyContinuationFrames, RejectionOf(ref tracker, H(FrameType.Continuation, FrameFlags.None, 1, 0)));
    }

    [Fact]
    public void OnFrameHeader_NewBlock_CountsStartAgain()
    {
        var tracker = new FieldBlockTracker(100, 1);
        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.None, 1, 50));
        tracker.OnFrameHeader(H(FrameType.Continuation, FrameFlags.EndHeaders, 1, 50));

        tracker.OnFrameHeader(H(FrameType.Headers, FrameFlags.None, 3, 50));
        tracker.OnFrameHeader(H(FrameType.Continuation, FrameFlags.EndHeaders, 3, 50));

        Assert.Equal(1, tracker.ContinuationFrames);
        Assert.Equal(100, tracker.BlockBytes);
    }
}
