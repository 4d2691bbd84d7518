using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Forwarding;
using Proxy.Engine.Metrics;
using Proxy.Engine.Server;
using Proxy.Engine.Timeouts;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

/// <summary>
/// One HTTP/2 client connection with prior knowledge (h2c, RFC 9113 §3.3): preface and SETTINGS, then streams, each
/// forwarded exactly like an HTTP/1.1 request.
/// </summary>
/// <remarks>
/// <para>
/// <b>One forwarding path.</b> Every stream is translated into an HTTP/1.1 request (<see cref="RequestTranslator"/>)
/// and written into an in-memory duplex pipe (<see cref="Http2StreamTransport"/>) that an ordinary
/// <see cref="Http1ClientConnection"/> serves: same routing snapshot, balancer, health reporting, retries, metrics,
/// access log, limits and request hardening as a request that arrived over HTTP/1.1, on the same pooled HTTP/1.1
/// upstream connections. The HTTP/1.1 response that comes out of the pipe is parsed again and framed into HEADERS and
/// DATA by the stream's response pump (Http2ClientConnection.Response.cs). The cost is a second parse of each head and
/// a copy of each body through the pipe; the gain is that nothing about forwarding exists twice.
/// </para>
/// <para>
/// <b>Threads.</b> One read loop parses frames and handles each synchronously (it never waits on a stream). Response
/// pumps run on the thread pool, one per stream. Everything they share — the stream table, both directions' windows,
/// the HPACK encoder, the request pipes and the socket's output — is guarded by one lock, held only to copy bytes:
/// frames are written whole under it, so frames of concurrent streams never interleave, and one flush loop sends
/// them (Http2ClientConnection.Output.cs).
/// </para>
/// <para>
/// <b>Defences</b> (<c>[limits.http2]</c>, counted in <c>proxy_http2_defence_total</c>): streams beyond
/// max_concurrent_streams are refused (REFUSED_STREAM); rapid reset and SETTINGS, PING, PRIORITY, empty DATA and
/// WINDOW_UPDATE floods end the connection with GOAWAY ENHANCE_YOUR_CALM (<see cref="FloodBudget"/>,
/// <see cref="WindowUpdateBudget"/>); field blocks are bounded in
/// encoded bytes and CONTINUATION frames (<see cref="FieldBlockTracker"/>) and in decoded size (<see cref="HpackDecoder"/>);
/// a response stalled on a zero send window past zero_window_timeout is reset, or the connection closed when the
/// connection window is the one at zero.
/// </para>
/// </remarks>
internal sealed partial class Http2ClientConnection : ITimeoutTarget, IClientConnection
{
    /// <summary>How long a closing connection waits for the client to close after our GOAWAY.</summary>
    private const long LingerMs = 2000;

    private static long s_nextId;

    private readonly IClientTransport _transport;
    private readonly ServerContext _server;
    private readonly ClientLimits _clientLimits;
    private readonly Http2LimitsConfig _limits;
    private readonly long _id = Interlocked.Increment(ref s_nextId);
    private readonly Lock _sync = new();
    private readonly Dictionary<int, Http2Stream> _streams = [];
    private readonly HpackDecoder _decoder;
    private readonly RequestTranslator _translator = new();
    private FieldBlockTracker _blocks;
    private FloodBudget _resets, _settingsFrames, _pings, _priorities, _emptyData;
    private WindowUpdateBudget _windowUpdates;   // guarded by _sync: response pumps earn it, the read loop spends it
    private ReceiveWindow _connectionReceive;
    private Http2Settings _peer = Http2Settings.Default;
    private int _lastClientStreamId;
    private bool _prefaceSeen, _peerSettingsSeen, _settingsAcknowledged;
    private int _draining;                   // set by BeginDraining (any thread)
    private bool _goAwaySent;
    private volatile bool _closeRequested;   // a pump found the connection stalled: the read loop ends it
    private volatile bool _notReading;       // ... because the client took no bytes for zero_window_timeout

    // The field block being decoded (HEADERS then CONTINUATION frames): whose, and what it is.
    private Http2Stream? _blockStream;
    private bool _blockIsTrailers, _blockEndStream, _blockTranslates;
    private Http2RejectReason _blockStreamError;

    public Http2ClientConnection(IClientTransport transport, ServerContext server)
    {
        _transport = transport;
        _server = server;
        _clientLimits = server.Limits;
        _limits = _clientLimits.Config.Http2;
        _decoder = new HpackDecoder((int)Http2Settings.DefaultHeaderTableSize, _limits.MaxHeaderListSize);
        _blocks = new FieldBlockTracker(_limits.MaxFieldBlockSize, _limits.MaxContinuationFrames);
        long frequency = Stopwatch.Frequency;
        _resets = new FloodBudget(_limits.ResetBurst, _limits.ResetRate, frequency);
        _settingsFrames = new FloodBudget(_limits.ControlFrameBurst, _limits.ControlFrameRate, frequency);
        _pings = new FloodBudget(_limits.ControlFrameBurst, _limits.ControlFrameRate, frequency);
        _priorities = new FloodBudget(_limits.ControlFrameBurst, _limits.ControlFrameRate, frequency);
        _emptyData = new FloodBudget(_limits.ControlFrameBurst, _limits.ControlFrameRate, frequency);
        _windowUpdates = new WindowUpdateBudget(_limits.WindowUpdatesPerDataFrame, _limits.ControlFrameBurst, _limits.ControlFrameRate, frequency);
        _connectionReceive = new ReceiveWindow(Http2Settings.DefaultInitialWindowSize,
            Math.Max(Http2Settings.DefaultInitialWindowSize, _limits.ConnectionWindow));
        _output = transport.Output;
        _pumpResponse = PumpResponseAsync;
    }

    private PipeReader Input => _transport.Input;

    public ConnectionDeadline Deadline { get; } = new();

    private bool IsDraining => Volatile.Read(ref _draining) != 0 || _server.IsDraining;

    public async Task RunAsync()
    {
        _server.Connections.Add(this);
        int heartbeatSlot = _server.Heartbeat.Register(this);
        _server.Stats.ConnectionOpened();
        Task flushing = FlushLoopAsync();
        try
        {
            Deadline.Arm(DeadlineKind.ClientHead, _clientLimits.HeaderTimeoutMs, Input);
            WriteServerPreface();
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (!BodyCopier.IsIoFailure(ex))
        {
            Log.ConnectionFailed(_server.Logger, this, ex);
        }
        finally
        {
            AbortAllStreams();
            await CloseAsync(flushing).ConfigureAwait(false);
            _server.Heartbeat.Unregister(heartbeatSlot);
            _server.Connections.Remove(this);
            _server.Stats.ConnectionClosed();
        }
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            ReadResult read;
            try
            {
                read = await Input.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (BodyCopier.IsIoFailure(ex))
            {
                return;
            }
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (read.IsCanceled)
            {
                Input.AdvanceTo(buffer.Start);
                if (_closeRequested) return;
                if (Deadline.HasFired(DeadlineKind.ClientHead) || (Deadline.HasFired(DeadlineKind.ClientIdle) && ActiveStreams == 0))
                {
                    SendGoAway(Http2ErrorCode.NoError);
                    return;
                }
                if (IsDraining)
                {
                    SendGoAway(Http2ErrorCode.NoError);
                    if (ActiveStreams == 0) return;
                }
                continue;    // a stale cancel
            }

            SequencePosition consumed;
            try
            {
                consumed = ProcessFrames(buffer);
            }
            catch (Http2RejectException ex)
            {
                // Connection errors only: stream errors are handled frame by frame.
                CountDefence(ex.Reason);
                SendGoAway(ex.ErrorCode);
                return;
            }
            catch (Http2ConnectionError ex)
            {
                SendGoAway(ex.Code);
                return;
            }
            Input.AdvanceTo(consumed, buffer.End);
            RequestFlush();
            if (_closeRequested || read.IsCompleted) return;
            if (IsDraining)
            {
                SendGoAway(Http2ErrorCode.NoError);
                if (ActiveStreams == 0) return;
            }
        }
    }

    /// <summary>Handles every whole frame in <paramref name="buffer"/>; returns how far it got.</summary>
    private SequencePosition ProcessFrames(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!_prefaceSeen)
        {
            if (!ConnectionPreface.TryRead(ref reader)) return reader.Position;
            _prefaceSeen = true;
        }
        while (FrameReader.TryReadFrame(ref reader, FrameHeader.DefaultMaxFrameSize, out FrameHeader header, out ReadOnlySequence<byte> payload))
        {
            _blocks.OnFrameHeader(in header);
            // RFC 9113 §3.4: the client's preface ends with a SETTINGS frame.
            if (!_peerSettingsSeen && header.Type != FrameType.Settings) Http2RejectException.ThrowConnectionError(Http2RejectReason.InvalidPreface);
            try
            {
                HandleFrame(in header, in payload);
            }
            catch (Http2RejectException ex) when (ex.Scope == Http2ErrorScope.Stream)
            {
                ResetStream(ex.StreamId, ex.ErrorCode);
            }
            if (_closeRequested) break;
        }
        return reader.Position;
    }

    private int ActiveStreams
    {
        get
        {
            lock (_sync) return _streams.Count;
        }
    }

    /// <summary>
    /// Ends the connection without losing the GOAWAY: our side is completed once the flush loop has sent everything,
    /// then we read until the client closes or <see cref="LingerMs"/> passes (as HTTP/1.1 connections do).
    /// </summary>
    private async Task CloseAsync(Task flushing)
    {
        StopFlushLoop();
        try
        {
            // A client that reads nothing can hold the last flush for ever: give it the linger time, then cut. One
            // that already took nothing for zero_window_timeout has had its time: cut at once.
            if (_notReading || await Task.WhenAny(flushing, Task.Delay((int)LingerMs)).ConfigureAwait(false) != flushing)
            {
                _output.CancelPendingFlush();
                _transport.Abort();
            }
            await flushing.ConfigureAwait(false);
        }
        catch (Exception ex) when (BodyCopier.IsIoFailure(ex) || ex is InvalidOperationException)
        {
        }
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
            Deadline.Arm(DeadlineKind.Linger, LingerMs, Input);
            while (true)
            {
                ReadResult read = await Input.ReadAsync().ConfigureAwait(false);
                Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception ex) when (BodyCopier.IsIoFailure(ex) || ex is InvalidOperationException)
        {
        }
        finally
        {
            Deadline.Disarm();
            _transport.Dispose();
        }
    }

    /// <summary>Shutdown, or the listener removed: GOAWAY with the last stream taken; streams in flight finish; then close.</summary>
    public void BeginDraining()
    {
        Interlocked.Exchange(ref _draining, 1);
        Input.CancelPendingRead();
    }

    /// <summary>Cuts the connection and every stream's upstream exchange at once.</summary>
    public void Abort()
    {
        AbortAllStreams();
        _transport.Abort();
    }

    public void OnHeartbeat(long nowMs)
    {
        if (Deadline.TryFire(nowMs, out _, out PipeReader? reader)) reader?.CancelPendingRead();
    }

    private void CountDefence(Http2RejectReason reason)
    {
        Http2Defence? defence = reason switch
        {
            Http2RejectReason.FieldBlockTooLarge => Http2Defence.FieldBlockTooLarge,
            Http2RejectReason.TooManyContinuationFrames => Http2Defence.TooManyContinuationFrames,
            Http2RejectReason.HeaderListTooLarge => Http2Defence.HeaderListTooLarge,
            Http2RejectReason.RapidReset => Http2Defence.RapidReset,
            Http2RejectReason.SettingsFlood => Http2Defence.SettingsFlood,
            Http2RejectReason.PingFlood => Http2Defence.PingFlood,
            Http2RejectReason.PriorityFlood => Http2Defence.PriorityFlood,
            Http2RejectReason.EmptyDataFlood => Http2Defence.EmptyDataFlood,
            Http2RejectReason.WindowUpdateFlood => Http2Defence.WindowUpdateFlood,
            _ => null,
        };
        if (defence is { } acted) _server.Stats.Http2DefenceActed(acted);
    }

    public override string ToString() => $"h2-client#{_id}";
}
