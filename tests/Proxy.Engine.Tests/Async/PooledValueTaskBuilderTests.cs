using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Proxy.Engine.Async;

// The gates complete inline, so every Result read here is of a completed ValueTask; holding and inspecting
// ValueTasks by hand is exactly what these tests are about. The awaits use ConfigureAwait(false), as the
// engine's do: xunit runs tests under a SynchronizationContext that would otherwise take the continuations.
#pragma warning disable CA2012, xUnit1031

namespace Proxy.Engine.Tests.Async;

public sealed class PooledValueTaskBuilderTests
{
    [Fact]
    public async Task SynchronousCompletion_ReturnsResult()
    {
        ValueTask<int> task = AddAsync(null, 2, 3);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(5, await task);
    }

    [Fact]
    public void SuspendedCall_ResumesWhenGateOpens_WithResult()
    {
        var gate = new Gate();
        ValueTask<int> task = AddAsync(gate, 2, 3);
        Assert.False(task.IsCompleted);

        gate.Open(10);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(15, task.Result);
    }

    [Fact]
    public void SeveralAwaitsInOneCall_AllResume()
    {
        var first = new Gate();
        var second = new Gate();
        ValueTask<int> task = TwoGatesAsync(first, second);

        first.Open(1);
        Assert.False(task.IsCompleted);
        second.Open(2);

        Assert.Equal(3, task.Result);
    }

    [Fact]
    public async Task ExceptionBeforeSuspending_FaultsTheTask()
    {
        ValueTask<int> task = ThrowAsync(null);

        Assert.True(task.IsFaulted);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await task);
    }

    [Fact]
    public async Task ExceptionAfterSuspending_IsThrownToTheAwaiter()
    {
        var gate = new Gate();
        ValueTask<int> task = ThrowAsync(gate);

        gate.Open(0);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await task);
    }

    [Fact]
    public void NonGeneric_SuspendsAndCompletes()
    {
        var gate = new Gate();
        ValueTask task = WaitAsync(gate);
        Assert.False(task.IsCompleted);

        gate.Open(0);

        Assert.True(task.IsCompletedSuccessfully);
    }

    [Fact]
    public void ManyCallsSuspendedAtOnce_AfterWarmUp_AllocateNothing()
    {
        const int InFlight = 200;
        var gates = Enumerable.Range(0, InFlight).Select(_ => new Gate()).ToArray();
        var tasks = new ValueTask<int>[InFlight];
        // Warm-up: boxes are created, and the shared queue's ring grows to the number of boxes in circulation.
        for (int round = 0; round < 5; round++) RunRound(gates, tasks);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++) RunRound(gates, tasks);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void CallsStartedOnOneThreadAndEndedOnAnother_AfterWarmUp_AllocateNothing()
    {
        // As with one socket thread per core: the client's thread starts the call, the upstream's thread ends it
        // (the continuation, and so the box's return, runs where the gate opens).
        const int InFlight = 100;
        var gates = Enumerable.Range(0, InFlight).Select(_ => new Gate()).ToArray();
        var tasks = new ValueTask<int>[InFlight];
        using var start = new SemaphoreSlim(0);
        using var opened = new SemaphoreSlim(0);
        long openerAllocated = 0;
        var opener = new Thread(() =>
        {
            for (int round = 0; round < 20; round++)
            {
                start.Wait();
                long before = GC.GetAllocatedBytesForCurrentThread();
                foreach (Gate gate in gates) gate.Open(1);
                if (round >= 10) openerAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
                opened.Release();
            }
        });
        opener.Start();

        long starterAllocated = 0;
        for (int round = 0; round < 20; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < InFlight; i++) tasks[i] = AddAsync(gates[i], i, 1);
            if (round >= 10) starterAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
            start.Release();
            opened.Wait();
            for (int i = 0; i < InFlight; i++) Assert.Equal(i + 2, tasks[i].Result);
        }
        opener.Join();

        Assert.Equal(0, starterAllocated);
        Assert.Equal(0, openerAllocated);
    }

    [Fact]
    public void ManyThreads_ManyCalls_AllResultsRight()
    {
        Parallel.For(0, 8, thread =>
        {
            for (int i = 0; i < 2000; i++)
            {
                var gate = new Gate();
                ValueTask<int> task = AddAsync(gate, thread, i);
                gate.Open(1);
                Assert.Equal(thread + i + 1, task.Result);
            }
        });
    }

    private static void RunRound(Gate[] gates, ValueTask<int>[] tasks)
    {
        for (int i = 0; i < gates.Length; i++) tasks[i] = AddAsync(gates[i], i, 1);
        for (int i = 0; i < gates.Length; i++) gates[i].Open(1);
        for (int i = 0; i < gates.Length; i++)
        {
            if (tasks[i].Result != i + 2) throw new InvalidOperationException("wrong result");
        }
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> AddAsync(Gate? gate, int a, int b)
    {
        int extra = gate is null ? 0 : await gate.WaitAsync().ConfigureAwait(false);
        return a + b + extra;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> TwoGatesAsync(Gate first, Gate second) => await first.WaitAsync().ConfigureAwait(false) + await second.WaitAsync().ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> ThrowAsync(Gate? gate)
    {
        if (gate is not null) await gate.WaitAsync().ConfigureAwait(false);
        throw new InvalidOperationException("as planned");
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private static async ValueTask WaitAsync(Gate gate) => await gate.WaitAsync().ConfigureAwait(false);

    /// <summary>An awaitable completed by hand, resuming its awaiter inline on the thread that opens it; reusable.</summary>
    private sealed class Gate : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core;

        public ValueTask<int> WaitAsync() => new(this, _core.Version);

        public void Open(int value) => _core.SetResult(value);

        public int GetResult(short token)
        {
            int result = _core.GetResult(token);
            _core.Reset();
            return result;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
