using CsCheck;
using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Tests.Http2;

public class FlowWindowTests
{
    private const int Max = FlowWindow.MaxSize;

    [Fact]
    public void Constructor_InitialSize_IsSizeAndAvailable()
    {
        var window = new FlowWindow(65_535);

        Assert.Equal(65_535, window.Size);
        Assert.Equal(65_535, window.Available);
    }

    [Fact]
    public void TryConsume_ExactlyTheWindow_EmptiesIt()
    {
        var window = new FlowWindow(100);

        Assert.True(window.TryConsume(100));
        Assert.Equal(0, window.Available);
    }

    [Fact]
    public void TryConsume_OneByteMoreThanTheWindow_FalseAndUnchanged()
    {
        var window = new FlowWindow(100);

        Assert.False(window.TryConsume(101));
        Assert.Equal(100, window.Size);
    }

    [Fact]
    public void TryIncrease_ToExactlyTwoToTheThirtyOneMinusOne_Accepted()
    {
        var window = new FlowWindow(65_535);

        Assert.True(window.TryIncrease(Max - 65_535));
        Assert.Equal(Max, window.Size);
        Assert.Equal(Max, window.Available);
    }

    [Fact]
    public void TryIncrease_OneAboveTwoToTheThirtyOneMinusOne_FalseAndUnchanged()
    {
        var window = new FlowWindow(65_535);

        Assert.False(window.TryIncrease(Max - 65_534));
        Assert.Equal(65_535, window.Size);
    }

    [Fact]
    public void TryIncrease_LargestIncrementOnAFullWindow_NoWrapAround()
    {
        var window = new FlowWindow(Max);

        Assert.False(window.TryIncrease(Max));
        Assert.Equal(Max, window.Size);
    }

    [Fact]
    public void Increase_OverflowOnAStream_ThrowsStreamFlowControlError()
    {
        var window = new FlowWindow(Max);

        Http2RejectException e = Assert.Throws<Http2RejectException>(() => window.Increase(1, streamId: 7));

        Assert.Equal((Http2RejectReason.WindowOverflow, Http2ErrorScope.Stream, 7, Http2ErrorCode.FlowControlError), (e.Reason, e.Scope, e.StreamId, e.ErrorCode));
    }

    [Fact]
    public void Increase_OverflowOnTheConnection_ThrowsConnectionFlowControlError()
    {
        var window = new FlowWindow(Max);

        Http2RejectException e = Assert.Throws<Http2RejectException>(() => window.Increase(1, streamId: 0));

        Assert.Equal((Http2RejectReason.WindowOverflow, Http2ErrorScope.Connection, Http2ErrorCode.FlowControlError), (e.Reason, e.Scope, e.ErrorCode));
    }

    [Fact]
    public void TryApplyInitialSizeChange_LoweredBelowWhatWasSent_WindowGoesNegative()
    {
        // RFC 9113 §6.9.2: 60000 sent of 65535, then the peer lowers its initial window to 16384.
        var window = new FlowWindow(65_535);
        Assert.True(window.TryConsume(60_000));

        Assert.True(window.TryApplyInitialSizeChange(65_535, 16_384));

        Assert.Equal(5_535 - 49_151, window.Size);
        Assert.Equal(0, window.Available);
        Assert.False(window.TryConsume(1));
        Assert.True(window.TryConsume(0));
    }

    [Fact]
    public void TryIncrease_NegativeWindow_SendableOnlyOncePositive()
    {
        var window = new FlowWindow(0);
        Assert.True(window.TryApplyInitialSizeChange(100, 0));

        Assert.True(window.TryIncrease(60));
        Assert.Equal(-40, window.Size);
        Assert.Equal(0, window.Available);
        Assert.True(window.TryIncrease(50));
        Assert.Equal(10, window.Available);
    }

    [Fact]
    public void TryApplyInitialSizeChange_FromMaxToZeroOnAnEmptyWindow_LowestWindowKeptExactly()
    {
        var window = new FlowWindow(Max);
        Assert.True(window.TryConsume(Max));

        Assert.True(window.TryApplyInitialSizeChange(Max, 0));
        Assert.Equal(-(long)Max, window.Size);
        Assert.True(window.TryApplyInitialSizeChange(0, Max));
        Assert.Equal(0, window.Size);
    }

    [Fact]
    public void ApplyInitialSizeChange_PushesAWindowOverTheMaximum_ThrowsConnectionFlowControlError()
    {
        var window = new FlowWindow(65_535);
        window.Increase(Max - 65_535 - 10, streamId: 1);

        Http2RejectException e = Assert.Throws<Http2RejectException>(() => window.ApplyInitialSizeChange(65_535, 65_546));

        Assert.Equal((Http2RejectReason.WindowOverflow, Http2ErrorScope.Connection), (e.Reason, e.Scope));
        Assert.Equal(Max - 10, window.Size);
    }

    [Fact]
    public void Operations_RandomSequences_AgreeWithAnExactModel()
    {
        // Ops: 0 consume, 1 increase, 2 initial size change; the model is plain Int128 arithmetic with the RFC bound.
        Gen.Select(Gen.Int[0, Max], Gen.Select(Gen.Int[0, 2], Gen.Int[0, Max], Gen.Int[0, Max]).Array[1, 40]).Sample((initial, ops) =>
        {
            var window = new FlowWindow(initial);
            Int128 model = initial;
            int currentInitial = initial;
            foreach ((int op, int a, int b) in ops)
            {
                switch (op)
                {
                    case 0:
                        bool consumed = window.TryConsume(a);
                        Assert.Equal(a == 0 || a <= model, consumed);
                        if (consumed) model -= a;
                        break;
                    case 1:
                        int increment = Math.Max(1, a);
                        bool increased = window.TryIncrease(increment);
                        Assert.Equal(model + increment <= Max, increased);
                        if (increased) model += increment;
                        break;
                    default:
                        bool changed = window.TryApplyInitialSizeChange(currentInitial, b);
                        Assert.Equal(model + b - currentInitial <= Max, changed);
                        if (changed)
                        {
                            model += b - currentInitial;
                            currentInitial = b;
                        }
                        break;
                }
                Assert.Equal(model, window.Size);
                Assert.True(window.Size <= Max);
                Assert.Equal(model <= 0 ? 0 : (int)model, window.Available);
            }
        }, iter: 2000);
    }
}
