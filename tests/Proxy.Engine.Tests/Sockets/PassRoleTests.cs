using Proxy.Engine.Sockets;

namespace Proxy.Engine.Tests.Sockets;

public class PassRoleTests
{
    [Fact]
    public void TakeOrRequest_WhenFree_TakesTheRoleAndLeavesNoRequest()
    {
        var role = new PassRole();
        Assert.True(role.TakeOrRequest());
        role.Release();
        Assert.False(role.TryTake());
    }

    [Fact]
    public void TakeOrRequest_WhileHeld_LeavesOneRequestForTheHolder()
    {
        var role = new PassRole();
        Assert.True(role.TakeOrRequest());
        Assert.False(role.TakeOrRequest());
        Assert.False(role.TakeOrRequest());
        role.Release();
        Assert.True(role.TryTake());     // the holder goes round once more
        role.Release();
        Assert.False(role.TryTake());    // and only once: both requests were for the same pass
    }

    [Fact]
    public void Hold_NoPassUntilReleased_ThenTheRequestMadeMeanwhileIsTaken()
    {
        var role = new PassRole();
        role.Hold();
        Assert.False(role.TakeOrRequest());
        role.Release();
        Assert.True(role.TryTake());
    }

    [Fact]
    public void ManyThreadsCommittingWork_EveryCommitIsSeenBySomePass()
    {
        // What a socket side does: commit work (bytes), then ask for a pass; a pass reads everything committed so far.
        // However the threads interleave, once they are done the last pass must have seen the last commit.
        const int Threads = 4, CommitsEach = 200_000;
        var role = new PassRole();
        long committed = 0, seenByPasses = 0, passes = 0;
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(() =>
            {
                for (int i = 0; i < CommitsEach; i++)
                {
                    Interlocked.Increment(ref committed);
                    if (!role.TakeOrRequest()) continue;
                    do
                    {
                        Volatile.Write(ref seenByPasses, Volatile.Read(ref committed));
                        passes++;    // only the holder writes
                        role.Release();
                    }
                    while (role.TryTake());
                }
            });
        }
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();

        Assert.Equal((long)Threads * CommitsEach, Volatile.Read(ref seenByPasses));
        Assert.True(passes <= (long)Threads * CommitsEach * 2, $"{passes} passes");
    }
}
