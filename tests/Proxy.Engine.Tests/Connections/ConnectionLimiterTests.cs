using Proxy.Engine.Connections;

namespace Proxy.Engine.Tests.Connections;

public sealed class ConnectionLimiterTests
{
    [Fact]
    public void TryEnter_UpToTheCap_ThenRefuses()
    {
        var limiter = new ConnectionLimiter(2);

        Assert.True(limiter.TryEnter());
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
        Assert.Equal(2, limiter.InUse);
    }

    [Fact]
    public async Task EnterAsync_AtTheCap_GetsThePlaceALeaveFrees()
    {
        var limiter = new ConnectionLimiter(1);
        Assert.True(limiter.TryEnter());

        ValueTask<bool> waiting = limiter.EnterAsync(TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted);
        limiter.Leave();

        Assert.True(await waiting);
        Assert.Equal(1, limiter.InUse);
    }

    [Fact]
    public async Task EnterAsync_NothingFreed_GivesUpAfterTimeout_AndLeavesNoPlaceTaken()
    {
        var limiter = new ConnectionLimiter(1);
        Assert.True(limiter.TryEnter());

        Assert.False(await limiter.EnterAsync(TimeSpan.FromMilliseconds(50)));
        limiter.Leave();

        Assert.Equal(0, limiter.InUse);
        Assert.True(limiter.TryEnter());
    }

    [Fact]
    public async Task EnterAsync_Cancelled_ReturnsFalse_AndTheNextFreedPlaceGoesToTheNextWaiter()
    {
        var limiter = new ConnectionLimiter(1);
        Assert.True(limiter.TryEnter());
        using var cancel = new CancellationTokenSource();

        ValueTask<bool> cancelled = limiter.EnterAsync(Timeout.InfiniteTimeSpan, cancel.Token);
        ValueTask<bool> next = limiter.EnterAsync(Timeout.InfiniteTimeSpan);
        await cancel.CancelAsync();
        Assert.False(await cancelled);
        limiter.Leave();

        Assert.True(await next);
        Assert.Equal(1, limiter.InUse);
    }

    [Fact]
    public void ManyThreads_EnterAndLeave_CountBackToZero()
    {
        var limiter = new ConnectionLimiter(4);
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (limiter.TryEnter()) limiter.Leave();
            }
        });

        Assert.Equal(0, limiter.InUse);
    }
}
