using System.Runtime.CompilerServices;

namespace Proxy.Engine.Async;

/// <summary>The result of a <see cref="PooledValueTaskBuilder"/> method: nothing.</summary>
internal readonly struct NoResult;

/// <summary><see cref="PooledValueTaskBuilder{TResult}"/> for methods returning a plain <see cref="ValueTask"/>.</summary>
#pragma warning disable CA1822 // The compiler requires instance Start and SetStateMachine.
public struct PooledValueTaskBuilder
{
    private PooledValueTaskBuilder<NoResult> _inner;

    public static PooledValueTaskBuilder Create() => default;

    public readonly ValueTask Task
    {
        get
        {
            if (_inner.Source is { } source) return new ValueTask(source, source.Version);
            if (_inner.Exception is { } exception) return ValueTask.FromException(exception);
            return ValueTask.CompletedTask;
        }
    }

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) => _ = stateMachine;

    public void SetResult() => _inner.SetResult(default);

    public void SetException(Exception exception) => _inner.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}
#pragma warning restore CA1822
