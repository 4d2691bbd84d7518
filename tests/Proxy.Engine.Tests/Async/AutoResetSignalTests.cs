using Proxy.Engine.Async;

namespace Proxy.Engine.Tests.Async;

public sealed class AutoResetSignalTests
{
    [Fact]
    public async Task SetBeforeWait_WakesTheNextWaitOnly()
    {
        var signal = new AutoResetSignal();
        signal.Set();
        signal.Set();
        await signal.WaitAsync();                  // taken at once
        Task second = signal.WaitAsync().AsTask();
        Assert.False(second.IsCompleted);
        signal.Set();
        await second;
    }

    [Fact]
    public async Task WakeInline_RunsTheWaiterInsideSet_OnTheSettingThread()
    {
        var signal = new AutoResetSignal(wakeInline: true);
        int? wokenOn = null;
        Task waiter = WaitThenRecordAsync(signal, id => wokenOn = id);
        Assert.Null(wokenOn);

        int setter = await Task.Run(() =>
        {
            signal.Set();
            return Environment.CurrentManagedThreadId;
        });

        Assert.Equal(setter, wokenOn);             // recorded before Set returned, on Set's thread
        await waiter;
    }

    [Fact]
    public async Task Default_NeverRunsTheWaiterInsideSet()
    {
        var signal = new AutoResetSignal();
        var sawSetReturn = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var setReturned = new ManualResetEventSlim();
        // Run inside Set, the waiter would wait for Set to return, which cannot happen first: it would time out.
        Task waiter = WaitThenRecordAsync(signal, _ => sawSetReturn.SetResult(setReturned.Wait(TimeSpan.FromSeconds(5))));

        await Task.Run(() =>
        {
            signal.Set();
            setReturned.Set();
        });

        Assert.True(await sawSetReturn.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        await waiter;
    }

    private static async Task WaitThenRecordAsync(AutoResetSignal signal, Action<int> record)
    {
        await signal.WaitAsync().ConfigureAwait(false);
        record(Environment.CurrentManagedThreadId);
    }
}
