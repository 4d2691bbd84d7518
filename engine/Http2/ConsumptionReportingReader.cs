using System.Buffers;
using System.IO.Pipelines;

namespace Proxy.Engine.Http2;

/// <summary>
/// A pipe reader that reports how many bytes its user consumed at each <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>:
/// how the HTTP/2 connection learns that a stream's request body has gone on upstream, and may re-open the client's
/// window. Single reader, like any pipe reader.
/// </summary>
internal sealed class ConsumptionReportingReader(PipeReader inner, Action<long> onConsumed) : PipeReader
{
    private ReadOnlySequence<byte> _last;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ValueTask<ReadResult> pending = inner.ReadAsync(cancellationToken);
        if (!pending.IsCompletedSuccessfully) return AwaitAsync(pending);
        ReadResult result = pending.Result;
        _last = result.Buffer;
        return new ValueTask<ReadResult>(result);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(Async.PooledValueTaskBuilder<>))]
    private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> pending)
    {
        ReadResult result = await pending.ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result)) return false;
        _last = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        long bytes = _last.IsEmpty ? 0 : _last.Slice(0, consumed).Length;
        _last = default;
        inner.AdvanceTo(consumed, examined);
        if (bytes > 0) onConsumed(bytes);
    }

    /// <summary>Forgets the last read buffer, for the next stream over a reset pipe.</summary>
    public void Reset() => _last = default;

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
