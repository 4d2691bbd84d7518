using System.Runtime.CompilerServices;

namespace Proxy.Engine.Async;

/// <summary>
/// Holds one suspended async method's state machine (copied in at its first real await) and resumes it.
/// Boxes are pooled per thread and per state machine type, so a method called once per request allocates
/// nothing once as many boxes exist as calls are ever suspended at the same time on that thread.
/// </summary>
internal sealed class StateMachineBox<TResult, TStateMachine> : PooledTaskSource<TResult>
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>Boxes kept per thread and type: the suspended calls a busy worker has at once (one per connection in flight).</summary>
    private const int PoolCapacity = 1024;

    [ThreadStatic] private static StateMachineBox<TResult, TStateMachine>?[]? t_pool;
    [ThreadStatic] private static int t_pooled;

    private Action? _moveNext;

    /// <summary>The suspended method; resumed in place by <see cref="MoveNextAction"/>.</summary>
    public TStateMachine StateMachine = default!;

    /// <summary>Resumes the method; allocated once per box, reused for every await of every call it carries.</summary>
    public Action MoveNextAction => _moveNext ??= MoveNext;

    public static StateMachineBox<TResult, TStateMachine> Rent()
    {
        StateMachineBox<TResult, TStateMachine>?[]? pool = t_pool;
        if (pool is not null && t_pooled > 0)
        {
            int last = --t_pooled;
            StateMachineBox<TResult, TStateMachine> box = pool[last]!;
            pool[last] = null;
            return box;
        }
        return new StateMachineBox<TResult, TStateMachine>();
    }

    // No ExecutionContext is captured or restored: nothing on the request path uses AsyncLocal state, and
    // capturing it would cost on every await.
    private void MoveNext() => StateMachine.MoveNext();

    protected override void ReturnToPool()
    {
        StateMachine = default!;
        StateMachineBox<TResult, TStateMachine>?[] pool = t_pool ??= new StateMachineBox<TResult, TStateMachine>?[PoolCapacity];
        if (t_pooled < pool.Length) pool[t_pooled++] = this;
    }
}
