using System.Buffers;
using System.Diagnostics;
using Proxy.Engine.Connections;
using Proxy.Engine.Metrics;
using Proxy.Engine.Timeouts;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

internal sealed partial class Http2ClientConnection
{
    // Trailers are gathered here, then copied into the stream's pipe under the lock (a pump may end the pipe meanwhile).
    private readonly ArrayBufferWriter<byte> _trailers = new(256);

    // The field block's stream identifier, and whether that stream is refused once its block is decoded.
    private int _blockStreamId;
    private bool _blockRefused, _blockStreamClosed;

    // Streams the client opens before it has acknowledged our SETTINGS may use the protocol's initial window.
    private int _streamReceiveInitial = Http2Settings.DefaultInitialWindowSize;

    private void HandleFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.Data:
                OnData(FrameReader.ReadData(in header, in payload));
                break;
            case FrameType.Headers:
                OnHeaders(FrameReader.ReadHeaders(in header, in payload));
                break;
            case FrameType.Continuation:
                OnFieldBlockFragment(FrameReader.ReadContinuation(in header, in payload), header.HasFlag(FrameFlags.EndHeaders));
                break;
            case FrameType.Priority:
                Take(ref _priorities, Http2RejectReason.PriorityFlood);
                FrameReader.ReadPriority(in header, in payload);
                break;
            case FrameType.RstStream:
                OnRstStream(header.StreamId, FrameReader.ReadRstStream(in header, in payload));
                break;
            case FrameType.Settings:
                OnSettings(FrameReader.ReadSettings(in header, in payload));
                break;
            case FrameType.PushPromise:
                // RFC 9113 §8.4: a client cannot push.
                throw new Http2ConnectionError(Http2ErrorCode.ProtocolError, "PUSH_PROMISE from a client");
            case FrameType.Ping:
                OnPing(FrameReader.ReadPing(in header, in payload));
                break;
            case FrameType.GoAway:
                FrameReader.ReadGoAway(in header, in payload);
                Interlocked.Exchange(ref _draining, 1);      // the client leaves: finish its streams, then close
                break;
            case FrameType.WindowUpdate:
                OnWindowUpdate(header.StreamId, FrameReader.ReadWindowUpdate(in header, in payload));
                break;
            default:
                break;    // RFC 9113 §5.5: unknown frame types are ignored
        }
    }

    private static void Take(ref FloodBudget budget, Http2RejectReason reason)
    {
        if (!budget.TryTake(Stopwatch.GetTimestamp())) Http2RejectException.ThrowConnectionError(reason);
    }

    private void OnSettings(SettingsFrame frame)
    {
        if (frame.IsAck)
        {
            OnSettingsAcknowledged();
            return;
        }
        Take(ref _settingsFrames, Http2RejectReason.SettingsFlood);
        lock (_sync)
        {
            int oldInitial = _peer.InitialWindowSize;
            foreach (Http2Setting setting in frame) _peer.Apply(setting);
            if (_peer.InitialWindowSize != oldInitial)
            {
                // RFC 9113 §6.9.2: every open stream's send window moves by the difference, possibly below zero.
                foreach (Http2Stream stream in _streams.Values) stream.Send.ApplyInitialSizeChange(oldInitial, _peer.InitialWindowSize);
                WakeAllLocked();
            }
            _encoder.SetPeerHeaderTableSize(_peer.HeaderTableSize);
            if (!_writesClosed) FrameWriter.WriteSettingsAck(_output);
        }
        if (!_peerSettingsSeen)
        {
            _peerSettingsSeen = true;
            lock (_sync) ArmIdleIfUnusedLocked();
        }
    }

    private void OnSettingsAcknowledged()
    {
        if (_settingsAcknowledged) return;
        _settingsAcknowledged = true;
        lock (_sync)
        {
            int ours = _limits.InitialStreamWindow;
            foreach (Http2Stream stream in _streams.Values) stream.Receive.ApplyInitialSizeChange(_streamReceiveInitial, ours);
            _streamReceiveInitial = ours;
        }
    }

    private void OnPing(PingFrame ping)
    {
        if (ping.IsAck) return;
        Take(ref _pings, Http2RejectReason.PingFlood);
        lock (_sync)
        {
            if (!_writesClosed) FrameWriter.WritePing(_output, ping.OpaqueData, ack: true);
        }
    }

    private void OnWindowUpdate(int streamId, int increment)
    {
        lock (_sync)
        {
            // Every WINDOW_UPDATE counts, whatever its stream: each costs a lookup and may wake pumps.
            if (!_windowUpdates.TryTake(Stopwatch.GetTimestamp())) Http2RejectException.ThrowConnectionError(Http2RejectReason.WindowUpdateFlood);
            if (streamId == 0)
            {
                // Pumps wait on the connection window only when it is at zero; otherwise they wait on their streams'
                // windows, which this does not open: waking them all would be work for nothing, per frame.
                bool exhausted = _connectionSend.Available == 0;
                _connectionSend.Increase(increment, 0);
                if (exhausted) WakeAllLocked();
                return;
            }
            if (_streams.TryGetValue(streamId, out Http2Stream? stream))
            {
                stream.Send.Increase(increment, streamId);
                Wake(stream);
                return;
            }
        }
        if (streamId > _lastClientStreamId) throw new Http2ConnectionError(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE on an idle stream");
        // A closed stream: the client may not have seen the end yet (RFC 9113 §6.9).
    }

    private void OnRstStream(int streamId, Http2ErrorCode code)
    {
        _ = code;
        if (streamId > _lastClientStreamId) throw new Http2ConnectionError(Http2ErrorCode.ProtocolError, "RST_STREAM on an idle stream");
        Http2Stream? stream;
        lock (_sync)
        {
            if (!_streams.TryGetValue(streamId, out stream)) return;
            EndStreamLocked(stream);
            stream.Hold();    // AbortStream's, below: out of the table, the stream could otherwise be reused meanwhile
        }
        AbortStream(stream);
        // CVE-2023-44487: a stream reset before its response was complete cost us a request upstream and cost the
        // client nothing. Those are what the budget counts (a reset stream is gone from the table once its response ended).
        if (!_resets.TryTake(Stopwatch.GetTimestamp())) Http2RejectException.ThrowConnectionError(Http2RejectReason.RapidReset);
    }

    private void OnHeaders(HeadersFrame frame)
    {
        int id = frame.StreamId;
        _blockStream = null;
        _blockTranslates = false;
        _blockIsTrailers = false;
        _blockEndStream = frame.EndStream;
        _blockStreamError = frame.StreamError;
        _blockStreamId = id;
        _blockRefused = false;
        _blockStreamClosed = false;

        Http2Stream? existing;
        bool halfClosed;
        lock (_sync) halfClosed = _streams.TryGetValue(id, out existing) && existing.RequestEnded;
        if (halfClosed)
        {
            // RFC 9113 §5.1: HEADERS after the client's END_STREAM ("half-closed (remote)"): decoded, then STREAM_CLOSED.
            _blockStreamClosed = true;
        }
        else if (existing is not null)
        {
            // Trailers (RFC 9113 §8.1): a second HEADERS, which must end the stream. Gathered apart, then copied.
            _blockStream = existing;
            _blockIsTrailers = true;
            _blockTranslates = true;
            _trailers.ResetWrittenCount();
            _translator.BeginTrailers(existing.Chunked ? _trailers : null);
        }
        else if (id <= _lastClientStreamId)
        {
            // A stream we have closed (perhaps reset after an early response): its block is decoded for the HPACK
            // state and ignored (RFC 9113 §5.1, "closed").
        }
        else if ((id & 1) == 0)
        {
            throw new Http2ConnectionError(Http2ErrorCode.ProtocolError, "a client stream with an even identifier");
        }
        else
        {
            _lastClientStreamId = id;
            if (_goAwaySent)
            {
                // Above the last stream our GOAWAY named: ignored, and the client knows to retry it elsewhere.
            }
            else if (ActiveStreams >= _limits.MaxConcurrentStreams)
            {
                _blockRefused = true;
            }
            else
            {
                Http2Stream stream = CreateStream(id);
                _blockStream = stream;
                _blockTranslates = true;
                _translator.BeginRequest(stream.Transport.RequestWriter);
            }
        }
        OnFieldBlockFragment(frame.FieldBlockFragment, frame.EndHeaders);
    }

    private Http2Stream CreateStream(int id)
    {
        Http2Stream? stream;
        int receiveInitial;
        lock (_sync)
        {
            receiveInitial = _streamReceiveInitial;
            _idleStreams.TryPop(out stream);
        }
        stream ??= new Http2Stream(this, _transport.RemoteAddress, _server);
        stream.Begin(id, _peer.InitialWindowSize, receiveInitial,
            Math.Max(receiveInitial, _settingsAcknowledged ? _limits.InitialStreamWindow : receiveInitial));
        return stream;
    }

    /// <summary>
    /// Takes back a stream nothing holds any more (<see cref="Http2Stream.Release"/>), for the next one; beyond
    /// max_concurrent_streams idle streams, it is left to the GC.
    /// </summary>
    internal void ReturnStream(Http2Stream stream)
    {
        lock (_sync)
        {
            if (_idleStreams.Count < _limits.MaxConcurrentStreams) _idleStreams.Push(stream);
        }
    }

    private void OnFieldBlockFragment(in ReadOnlySequence<byte> fragment, bool endHeaders)
    {
        var handler = new TranslatingFieldHandler(_blockTranslates ? _translator : null);
        _decoder.Decode(in fragment, endHeaders, ref handler);
        if (endHeaders) FinishBlock();
    }

    private void FinishBlock()
    {
        Http2Stream? stream = _blockStream;
        _blockStream = null;
        if (_blockRefused)
        {
            // RFC 9113 §5.1.2: beyond SETTINGS_MAX_CONCURRENT_STREAMS; REFUSED_STREAM tells the client it may retry.
            _server.Stats.Http2DefenceActed(Http2Defence.TooManyStreams);
            WriteRstStream(_blockStreamId, Http2ErrorCode.RefusedStream);
            return;
        }
        if (_blockStreamClosed)
        {
            ResetStream(_blockStreamId, Http2ErrorCode.StreamClosed);
            return;
        }
        if (stream is null) return;

        if (_blockIsTrailers)
        {
            Http2RejectReason reason = _translator.CompleteTrailers();
            if (reason != Http2RejectReason.None || !_blockEndStream)
            {
                ResetStream(stream.Id, Http2ErrorCode.ProtocolError);
                return;
            }
            EndRequestBody(stream, _trailers.WrittenSpan);
            return;
        }

        Http2RejectReason malformed = _translator.CompleteRequest(_blockEndStream, out bool chunked);
        if (malformed == Http2RejectReason.None) malformed = _blockStreamError;
        if (malformed != Http2RejectReason.None)
        {
            // RFC 9113 §8.1.1: a malformed request is a stream error; nothing of it was forwarded.
            WriteRstStream(stream.Id, Http2ErrorCode.ProtocolError);
            stream.Transport.CompleteAll();    // never started: nothing else has it, so it goes back at once
            stream.Hold();
            stream.Release();
            return;
        }
        StartStream(stream, chunked);
    }

    private void StartStream(Http2Stream stream, bool chunked)
    {
        stream.Chunked = chunked;
        stream.ContentLength = _translator.ContentLength;
        stream.Method = _translator.Method;
        long written = _translator.Written;
        lock (_sync)
        {
            _streams.Add(stream.Id, stream);
            stream.Hold();    // the HTTP/1.1 side's
            stream.Hold();    // the response pump's
            _windowUpdates.OnStreamOpened();
            Deadline.Disarm();
            stream.PipeWritten += written;
            if (_blockEndStream)
            {
                stream.RequestEnded = true;
                stream.Transport.RequestWriter.Complete();
            }
            else
            {
                FlushRequestPipe(stream);
            }
        }
        stream.Transport.AddBytesRead(written);
        // The HTTP/1.1 side runs on the thread pool: the read loop never runs a stream's forwarding inline. The pump
        // starts here: it waits for the response at once, and runs where the HTTP/1.1 side writes it.
        stream.Run(_pumpResponse);
    }

    private void OnData(DataFrame frame)
    {
        int id = frame.StreamId;
        int length = frame.FlowControlledLength;
        int dataLength = (int)frame.Data.Length;
        if (dataLength == 0 && !frame.EndStream) Take(ref _emptyData, Http2RejectReason.EmptyDataFlood);
        Http2ErrorCode? resetWith = null;
        lock (_sync)
        {
            // The connection window counts every DATA frame, whatever became of its stream (RFC 9113 §6.9).
            _connectionReceive.Receive(length, 0);
            if (!_streams.TryGetValue(id, out Http2Stream? stream) || stream.RequestEnded)
            {
                GiveBackLocked(length);
                if (stream is null)
                {
                    if (id > _lastClientStreamId) throw new Http2ConnectionError(Http2ErrorCode.ProtocolError, "DATA on an idle stream");
                    return;    // closed: the client had not seen the end yet
                }
                resetWith = Http2ErrorCode.StreamClosed;    // RFC 9113 §5.1: DATA after END_STREAM
            }
            else if (!stream.Receive.TryReceive(length))
            {
                GiveBackLocked(length);
                resetWith = Http2ErrorCode.FlowControlError;
            }
            else
            {
                // Padding never reaches the pipe: its credit goes back at once.
                int padding = length - dataLength;
                if (padding > 0)
                {
                    GiveBackLocked(padding);
                    stream.Receive.Release(padding);
                }
                stream.BodyReceived += dataLength;
                if (stream.ContentLength >= 0 && stream.BodyReceived > stream.ContentLength)
                {
                    resetWith = Http2ErrorCode.ProtocolError;    // RFC 9113 §8.1.1: more DATA than content-length
                }
                else
                {
                    WriteBodyLocked(stream, frame.Data);
                    if (frame.EndStream)
                    {
                        if (!EndRequestBodyLocked(stream, default)) resetWith = Http2ErrorCode.ProtocolError;
                    }
                    else
                    {
                        FlushRequestPipe(stream);
                    }
                }
            }
        }
        if (resetWith is { } code) ResetStream(id, code);
    }

    /// <summary>Copies request DATA into the stream's pipe, as a chunk when the body is chunked.</summary>
    private static void WriteBodyLocked(Http2Stream stream, in ReadOnlySequence<byte> data)
    {
        if (data.IsEmpty) return;
        var writer = stream.Transport.RequestWriter;
        long written = 0;
        if (stream.Chunked)
        {
            Span<byte> line = stackalloc byte[20];
            ((long)data.Length).TryFormat(line, out int digits, "X", System.Globalization.CultureInfo.InvariantCulture);
            line[digits] = (byte)'\r';
            line[digits + 1] = (byte)'\n';
            writer.Write(line[..(digits + 2)]);
            written += digits + 2;
        }
        foreach (ReadOnlyMemory<byte> segment in data) writer.Write(segment.Span);
        written += data.Length;
        if (stream.Chunked)
        {
            writer.Write("\r\n"u8);
            written += 2;
        }
        stream.DataReceived += data.Length;
        stream.PipeWritten += written;
        stream.Transport.AddBytesRead(written);
    }

    private void EndRequestBody(Http2Stream stream, ReadOnlySpan<byte> trailers)
    {
        bool ok;
        lock (_sync)
        {
            if (stream.RequestEnded) return;
            ok = EndRequestBodyLocked(stream, trailers);
        }
        if (!ok) ResetStream(stream.Id, Http2ErrorCode.ProtocolError);
    }

    /// <summary>
    /// The client's END_STREAM: checks the body against content-length, ends a chunked body (with the trailers when
    /// there are some: they already start with the last chunk), and completes the request pipe. False when malformed.
    /// </summary>
    private static bool EndRequestBodyLocked(Http2Stream stream, ReadOnlySpan<byte> trailers)
    {
        if (stream.ContentLength >= 0 && stream.BodyReceived != stream.ContentLength) return false;
        var writer = stream.Transport.RequestWriter;
        if (stream.Chunked)
        {
            ReadOnlySpan<byte> end = trailers.IsEmpty ? "0\r\n\r\n"u8 : trailers;
            writer.Write(end);
            stream.PipeWritten += end.Length;
            stream.Transport.AddBytesRead(end.Length);
        }
        stream.RequestEnded = true;
        writer.Complete();
        return true;
    }

    private static void FlushRequestPipe(Http2Stream stream)
    {
        // Never waits: the request pipe does not pause its writer (flow control bounds it), and its reader runs on
        // the thread pool, not here under the lock.
        ValueTask<System.IO.Pipelines.FlushResult> flushed = stream.Transport.RequestWriter.FlushAsync();
        if (!flushed.IsCompleted) flushed.AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    /// <summary>Called on the HTTP/1.1 side's thread as it consumes the request pipe: re-opens the client's windows.</summary>
    internal void OnRequestConsumed(Http2Stream stream, long bytes)
    {
        lock (_sync)
        {
            stream.PipeConsumed += bytes;
            long unread = stream.PipeWritten - stream.PipeConsumed;
            long credit = stream.DataReceived - unread - stream.Credited;
            if (credit <= 0) return;
            stream.Credited += credit;
            GiveBackLocked((int)credit);
            if (!stream.RequestEnded && !stream.IsReset)
            {
                stream.Receive.Release((int)credit);
                if (stream.Receive.TryTakeUpdate(out int increment) && !_writesClosed) FrameWriter.WriteWindowUpdate(_output, stream.Id, increment);
            }
            RequestFlushLocked();
        }
    }

    /// <summary>Returns <paramref name="bytes"/> of connection credit, announcing it when half the window is due.</summary>
    private void GiveBackLocked(int bytes)
    {
        if (bytes <= 0) return;
        _connectionReceive.Release(bytes);
        if (_connectionReceive.TryTakeUpdate(out int increment) && !_writesClosed) FrameWriter.WriteWindowUpdate(_output, 0, increment);
    }

    private void ArmIdleIfUnusedLocked()
    {
        if (_streams.Count == 0 && _peerSettingsSeen) Deadline.Arm(DeadlineKind.ClientIdle, _clientLimits.IdleTimeoutMs, Input);
    }
}
