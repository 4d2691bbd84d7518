using CsCheck;
using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Tests.Http2;

public class ReceiveWindowTests
{
    private const int Max = FlowWindow.MaxSize;

    [Fact]
    public void TryReceive_WithinCredit_Accepted()
    {
        var window = new ReceiveWindow(65_535);

        Assert.True(window.TryReceive(65_535));
        Assert.Equal(0, window.Available);
    }

    [Fact]
    public void TryReceive_OneByteBeyondCredit_FalseAndUnchanged()
    {
        var window = new ReceiveWindow(65_535);
        Assert.True(window.TryReceive(65_000));

        Assert.False(window.TryReceive(536));
        Assert.Equal(535, window.Available);
    }

    [Theory]
    [InlineData(3, Http2ErrorScope.Stream)]
    [InlineData(0, Http2ErrorScope.Connection)]
    public void Receive_BeyondCredit_ThrowsFlowControlErrorAtTheWindowsScope(int streamId, Http2ErrorScope scope)
    {
        var window = new ReceiveWindow(10);

        Http2RejectException e = Assert.Throws<Http2RejectException>(() => window.Receive(11, streamId));

        Assert.Equal((Http2RejectReason.WindowExceeded, scope, Http2ErrorCode.FlowControlError), (e.Reason, e.Scope, e.ErrorCode));
    }

    [Fact]
    public void TryTakeUpdate_BelowHalfTheWindow_Batched()
    {
        var window = new ReceiveWindow(65_535);
        for (int i = 0; i < 32; i++)
        {
            Assert.True(window.TryReceive(1000));
            window.Release(1000);
            Assert.False(window.TryTakeUpdate(out int none));
            Assert.Equal(0, none);
        }
        Assert.True(window.TryReceive(767));
        window.Release(767);

        Assert.True(window.TryTakeUpdate(out int increment));
        Assert.Equal(32_767, increment);
        Assert.Equal(65_535, window.Available);
        Assert.Equal(0, window.Pending);
    }

    [Fact]
    public void TryTakeAnyUpdate_SmallPendingCredit_GivenBack()
    {
        var window = new ReceiveWindow(65_535);
        Assert.True(window.TryReceive(10));
        window.Release(10);

        Assert.False(window.TryTakeUpdate(out _));
        Assert.True(window.TryTakeAnyUpdate(out int increment));
        Assert.Equal(10, increment);
        Assert.False(window.TryTakeAnyUpdate(out _));
    }

    [Fact]
    public void TryTakeUpdate_ConnectionOpenedToTheMaximum_NeverPushesThePeerOverTwoToTheThirtyOneMinusOne()
    {
        // haproxy/haproxy#2719: the connection window starts at 65535 whatever SETTINGS_INITIAL_WINDOW_SIZE says.
        var window = new ReceiveWindow(65_535, Max);

        Assert.True(window.TryTakeUpdate(out int opening));
        Assert.Equal(Max - 65_535, opening);
        Assert.Equal(Max, window.Available);

        Assert.True(window.TryReceive(482));
        window.Release(482);
        Assert.False(window.TryTakeUpdate(out _));
        Assert.True(window.TryTakeAnyUpdate(out int giveBack));
        Assert.Equal(482, giveBack);
        Assert.Equal(Max, window.Available);
    }

    [Fact]
    public void Release_MoreThanReceived_ClampedToTheTarget()
    {
        var window = new ReceiveWindow(100);
        Assert.True(window.TryReceive(10));

        window.Release(1000);

        Assert.True(window.TryTakeAnyUpdate(out int increment));
        Assert.Equal(10, increment);
        Assert.Equal(100, window.Available);
    }

    [Fact]
    public void ApplyInitialSizeChange_Lowered_PeerCreditCanGoNegative()
    {
        var window = new ReceiveWindow(65_535);
        Assert.True(window.TryReceive(60_000));

        window.ApplyInitialSizeChange(65_535, 16_384);

        Assert.Equal(5_535 - 49_151, window.Available);
        Assert.False(window.TryReceive(1));
        Assert.True(window.TryReceive(0));
        window.Release(60_000);
        Assert.True(window.TryTakeUpdate(out int increment));
        Assert.Equal(16_384, window.Available);
        Assert.Equal(16_384 - (5_535 - 49_151), increment);
    }

    [Fact]
    public void Operations_RandomSequences_CreditStaysWithinTargetAndRfcBound()
    {
        Gen.Select(Gen.Int[0, 1 << 20], Gen.Int[0, Max], Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1 << 20]).Array[1, 60]).Sample((initial, extra, ops) =>
        {
            int target = (int)Math.Min(Max, (long)initial + extra);
            var window = new ReceiveWindow(initial, target);
            long peerWindow = initial;   // what the peer's send window would be
            long received = 0;
            long released = 0;
            foreach ((int op, int n) in ops)
            {
                switch (op)
                {
                    case 0:
                        bool accepted = window.TryReceive(n);
                        Assert.Equal(n == 0 || n <= peerWindow, accepted);
                        if (accepted)
                        {
                            peerWindow -= n;
                            received += n;
                        }
                        break;
                    case 1:
                        int release = (int)Math.Min(n, received - released);
                        window.Release(release);
                        released += release;
                        break;
                    case 2:
                        if (window.TryTakeUpdate(out int increment))
                        {
                            Assert.True(increment >= window.UpdateThreshold);
                            peerWindow += increment;
                        }
                        break;
                    default:
                        if (window.TryTakeAnyUpdate(out int any)) peerWindow += any;
                        break;
                }
                Assert.Equal(peerWindow, window.Available);
                Assert.True(peerWindow <= Max);
                Assert.True(window.Available + window.Pending <= target);
            }
        }, iter: 2000);
    }
}
