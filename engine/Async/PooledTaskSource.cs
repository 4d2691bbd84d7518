using System.Threading.Tasks.Sources;

namespace Proxy.Engine.Async;

/// <summary>
/// What a <see cref="PooledValueTaskBuilder{TResult}"/> method's <see cref="ValueTask{TResult}"/> stands on once
/// the method has suspended: a reusable completion source that goes back to its pool when the awaiter reads the
/// result. Each ValueTask from such a method must be awaited exactly once (true of every await on our request
/// path); the version token turns a second read into an exception rather than a wrong result.
/// </summary>
internal abstract class PooledTaskSource<TResult> : IValueTaskSource<TResult>, IValueTaskSource
{
    // RunContinuationsAsynchronously stays false: the caller's continuation runs inline on the thread that
    // completed us, which is the point of inline socket completions (no thread hop per I/O).
    private ManualResetValueTaskSourceCore<TResult> _core;

    public short Version => _core.Version;

    public void SetResult(TResult result) => _core.SetResult(result);

    public void SetException(Exception exception) => _core.SetException(exception);

    public TResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            ReturnToPool();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Drops the state machine's references and parks this source for the next call.</summary>
    protected abstract void ReturnToPool();
}
