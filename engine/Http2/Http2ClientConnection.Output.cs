using System.Buffers;
using System.IO.Pipelines;
using Proxy.Engine.Metrics;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

internal sealed partial class Http2ClientConnection
{
    /// <summary>
    /// Bytes written for the client but not yet flushed to the socket's pipe beyond which a response pump waits: with
    /// the socket pipe's own 64 KiB, what a client that does not read can make us hold.
    /// </summary>
    private const int MaxUnflushedBytes = 256 * 1024;

    private readonly PipeWriter _output;
    private readonly HpackEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _headerBlock = new(1024);
    private readonly Async.AutoResetSignal _flushSignal = new();
    private FlowWindow _connectionSend = new(Http2Settings.DefaultInitialWindowSize);
    private bool _flushRequested, _flushStopping, _writesClosed;
    private long _flushingBytes;
    private TaskCompletionSource? _drained;

    // Streams that have ended and that nothing holds, for the next ones (see Http2Stream); guarded by _sync.
    private readonly Stack<Http2Stream> _idleStreams = new();
    private readonly Func<Http2Stream, ValueTask> _pumpResponse;

    private void WriteServerPreface()
    {
        lock (_sync)
        {
            FrameWriter.WriteSettings(_output,
            [
                new Http2Setting(Http2SettingId.MaxConcurrentStreams, (uint)_limits.MaxConcurrentStreams),
                new Http2Setting(Http2SettingId.InitialWindowSize, (uint)_limits.InitialStreamWindow),
                new Http2Setting(Http2SettingId.MaxHeaderListSize, (uint)_limits.MaxHeaderListSize),
            ]);
            // The connection window starts at 65535 whatever the settings say (RFC 9113 §6.9.2): open it to ours at once.
            if (_connectionReceive.TryTakeAnyUpdate(out int increment)) FrameWriter.WriteWindowUpdate(_output, 0, increment);
            RequestFlushLocked();
        }
    }

    private void RequestFlush()
    {
        lock (_sync) RequestFlushLocked();
    }

    private void RequestFlushLocked()
    {
        if (_flushRequested || _writesClosed) return;
        _flushRequested = true;
        _flushSignal.Set();
    }

    /// <summary>
    /// The one flusher of the socket's output. Frames are written whole under the lock by whoever produces them; this
    /// loop starts a flush (under the lock, so it never races a write) and waits for it outside, one at a time.
    /// </summary>
    private async Task FlushLoopAsync()
    {
        while (true)
        {
            await _flushSignal.WaitAsync().ConfigureAwait(false);
            ValueTask<FlushResult> pending;
            bool last;
            lock (_sync)
            {
                _flushRequested = false;
                last = _flushStopping;
                if (last) _writesClosed = true;
                _flushingBytes = _output.CanGetUnflushedBytes ? _output.UnflushedBytes : 0;
                pending = _output.FlushAsync();
            }
            FlushResult result;
            try
            {
                result = await pending.ConfigureAwait(false);
            }
            catch (Exception ex) when (Forwarding.BodyCopier.IsIoFailure(ex) || ex is InvalidOperationException)
            {
                result = new FlushResult(isCanceled: false, isCompleted: true);
            }
            lock (_sync)
            {
                _flushingBytes = 0;
                _drained?.TrySetResult();
                _drained = null;
                if (result.IsCompleted || result.IsCanceled)
                {
                    _writesClosed = true;
                    WakeAllLocked();
                    return;
                }
                if (last) return;
            }
        }
    }

    /// <summary>Makes the flush loop send what is written, then stop; nothing is written after that.</summary>
    private void StopFlushLoop()
    {
        lock (_sync)
        {
            _flushStopping = true;
            if (_writesClosed) return;
            _flushRequested = true;
            _flushSignal.Set();
        }
    }

    private long UnflushedLocked => (_output.CanGetUnflushedBytes ? _output.UnflushedBytes : 0) + _flushingBytes;

    private void SendGoAway(Http2ErrorCode code)
    {
        lock (_sync)
        {
            if (_goAwaySent || _writesClosed) return;
            _goAwaySent = true;
            FrameWriter.WriteGoAway(_output, _lastClientStreamId, code, default);
            RequestFlushLocked();
        }
    }

    private void WriteRstStream(int streamId, Http2ErrorCode code)
    {
        lock (_sync)
        {
            if (_writesClosed) return;
            FrameWriter.WriteRstStream(_output, streamId, code);
            RequestFlushLocked();
        }
    }

    /// <summary>Resets a stream (our stream error, or a pump that cannot finish): RST_STREAM, then its exchange is cut.</summary>
    private void ResetStream(int streamId, Http2ErrorCode code)
    {
        Http2Stream? stream;
        lock (_sync)
        {
            if (!_writesClosed) FrameWriter.WriteRstStream(_output, streamId, code);
            RequestFlushLocked();
            if (!_streams.TryGetValue(streamId, out stream)) return;
            EndStreamLocked(stream);
            stream.Hold();    // AbortStream's, below
        }
        AbortStream(stream);
    }

    /// <summary>
    /// Forgets a stream that is over (either way): stops reading its request, returns the connection credit of what
    /// it received but never passed on (haproxy/haproxy#3495), wakes its pump.
    /// </summary>
    private void EndStreamLocked(Http2Stream stream)
    {
        if (!stream.ResponseEnded) stream.IsReset = true;
        stream.ResponseEnded = true;
        if (!stream.RequestEnded)
        {
            stream.RequestEnded = true;
            stream.Transport.RequestWriter.Complete();
        }
        long unreturned = stream.DataReceived - stream.Credited;
        stream.Credited = stream.DataReceived;
        GiveBackLocked((int)Math.Min(unreturned, int.MaxValue));
        Wake(stream);
        if (_streams.Remove(stream.Id) && _streams.Count == 0)
        {
            ArmIdleIfUnusedLocked();
            if (IsDraining) Input.CancelPendingRead();    // the read loop sees the last stream gone and closes
        }
        RequestFlushLocked();
    }

    /// <summary>
    /// Cuts a stream's HTTP/1.1 exchange (its upstream connection too) and stops its pump, then lets go of the hold the
    /// caller took under the lock (without it, the stream could end, be reused and be cut as another stream).
    /// </summary>
    private static void AbortStream(Http2Stream stream)
    {
        try
        {
            stream.Http1.Abort();
            stream.Transport.ResponseReader.CancelPendingRead();
        }
        finally
        {
            stream.Release();
        }
    }

    private void AbortAllStreams()
    {
        List<Http2Stream> streams;
        lock (_sync)
        {
            streams = [.. _streams.Values];
            foreach (Http2Stream stream in streams)
            {
                EndStreamLocked(stream);
                stream.Hold();
            }
        }
        foreach (Http2Stream stream in streams) AbortStream(stream);
    }

    private static void Wake(Http2Stream stream)
    {
        stream.WindowWaiter?.TrySetResult();
        stream.WindowWaiter = null;
    }

    private void WakeAllLocked()
    {
        foreach (Http2Stream stream in _streams.Values) Wake(stream);
    }

    /// <summary>
    /// The response is complete. When the request is not (the upstream answered before the upload ended), the client
    /// is told to stop with RST_STREAM(NO_ERROR) (RFC 9113 §8.1) and its unread DATA is credited back.
    /// </summary>
    private void OnResponseEndedLocked(Http2Stream stream)
    {
        stream.ResponseEnded = true;
        if (!stream.RequestEnded) FrameWriter.WriteRstStream(_output, stream.Id, Http2ErrorCode.NoError);
        EndStreamLocked(stream);
    }

    /// <summary>Writes a response head (interim or final) as HEADERS and CONTINUATION frames; false when the stream is gone.</summary>
    private bool WriteHeaders(Http2Stream stream, ResponseHead head, bool endStream)
    {
        lock (_sync)
        {
            if (stream.IsReset || _writesClosed) return false;
            _headerBlock.ResetWrittenCount();
            _encoder.BeginBlock(_headerBlock);
            _encoder.EncodeStatus(_headerBlock, head.StatusCode);
            foreach (ref readonly HeaderField field in head.Headers)
            {
                ReadOnlySpan<byte> name = head.NameOf(field);
                if (field.IsHopByHop || IsConnectionSpecific(name)) continue;
                _encoder.Encode(_headerBlock, name, head.ValueOf(field));
            }
            FrameWriter.WriteHeaders(_output, stream.Id, _headerBlock.WrittenSpan, endStream, _peer.MaxFrameSize);
            if (endStream) OnResponseEndedLocked(stream);
            RequestFlushLocked();
            return true;
        }
    }

    /// <summary>RFC 9113 §8.2.2: fields that only mean something to one HTTP/1.1 connection are not sent in HTTP/2.</summary>
    private static bool IsConnectionSpecific(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => System.Text.Ascii.EqualsIgnoreCase(name, "te"u8),
        7 => System.Text.Ascii.EqualsIgnoreCase(name, "upgrade"u8),
        10 => System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "keep-alive"u8),
        16 => System.Text.Ascii.EqualsIgnoreCase(name, "proxy-connection"u8),
        17 => System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8),
        _ => false,
    };

    /// <summary>
    /// Sends <paramref name="data"/> as DATA frames within the stream's and the connection's send windows, waiting for
    /// credit (at most zero_window_timeout) and for the socket to take what is written. False when the stream or the
    /// connection is gone; the caller stops.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(Async.PooledValueTaskBuilder<>))]
    private async ValueTask<bool> SendDataAsync(Http2Stream stream, ReadOnlySequence<byte> data, bool endStream)
    {
        while (true)
        {
            Task? waitForWindow = null, waitForSocket = null;
            lock (_sync)
            {
                if (stream.IsReset || _writesClosed) return false;
                if (data.IsEmpty)
                {
                    if (endStream)
                    {
                        FrameWriter.WriteData(_output, stream.Id, ReadOnlySequence<byte>.Empty, endStream: true, _peer.MaxFrameSize);
                        OnResponseEndedLocked(stream);
                        RequestFlushLocked();
                    }
                    return true;
                }
                int allowed = (int)Math.Min(data.Length, Math.Min(stream.Send.Available, _connectionSend.Available));
                if (allowed > 0)
                {
                    stream.Send.TryConsume(allowed);
                    _connectionSend.TryConsume(allowed);
                    ReadOnlySequence<byte> frame = data.Slice(0, allowed);
                    data = data.Slice(allowed);
                    bool last = data.IsEmpty && endStream;
                    FrameWriter.WriteData(_output, stream.Id, in frame, last, _peer.MaxFrameSize);
                    _windowUpdates.OnDataFramesSent((int)((allowed + (long)_peer.MaxFrameSize - 1) / _peer.MaxFrameSize));
                    if (last) OnResponseEndedLocked(stream);
                    RequestFlushLocked();
                    if (UnflushedLocked > MaxUnflushedBytes) waitForSocket = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                    else if (data.IsEmpty) return true;
                }
                else
                {
                    stream.WindowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waitForWindow = stream.WindowWaiter.Task;
                }
            }
            if (waitForSocket is null && waitForWindow is null) continue;    // more to send, and credit may be left
            try
            {
                await (waitForSocket ?? waitForWindow!).WaitAsync(_limits.ZeroWindowTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                OnStalled(stream, socket: waitForSocket is not null);
                return false;
            }
            if (waitForSocket is not null && data.IsEmpty) return true;
        }
    }

    /// <summary>
    /// A response made no progress for zero_window_timeout: the client gives no credit, or does not read at all. A
    /// stream window at zero costs the stream; a connection window at zero, or a socket that takes nothing, costs the
    /// connection (GOAWAY ENHANCE_YOUR_CALM; a socket that takes nothing is cut without waiting for the GOAWAY to go
    /// out, since it cannot).
    /// </summary>
    private void OnStalled(Http2Stream stream, bool socket)
    {
        _server.Stats.Http2DefenceActed(Http2Defence.ZeroWindowStall);
        bool connection;
        lock (_sync) connection = socket || _connectionSend.Available == 0;
        if (!connection)
        {
            ResetStream(stream.Id, Http2ErrorCode.Cancel);
            return;
        }
        SendGoAway(Http2ErrorCode.EnhanceYourCalm);
        if (socket) _notReading = true;    // another pump may stall on a window meanwhile: never unset
        _closeRequested = true;
        Input.CancelPendingRead();
    }
}
