using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Proxy.Engine.Connections;
using Proxy.Engine.Sockets;

namespace Proxy.Engine.Tests.Sockets;

/// <summary>
/// The epoll transport against plain blocking sockets on loopback: bytes both ways, the end of stream, back-pressure
/// in both directions, connect, abort and dispose.
/// </summary>
public sealed class EpollSocketTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public EpollSocketTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
    }

    private IPEndPoint ListenEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public void Dispose() => _listener.Dispose();

    /// <summary>A served socket (accepted by the transport) and the plain client socket at its other end.</summary>
    private async Task<(EpollSocket Served, Socket Peer)> AcceptedPairAsync()
    {
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(ListenEndPoint);
        Socket accepted = await _listener.AcceptAsync();
        return (EpollSocket.Accepted(accepted, EventLoops.Next(), TransportOptions.ClientSend, TransportOptions.Pipe), peer);
    }

    [Fact]
    public async Task Accepted_BytesFlowBothWays_AndAreCounted()
    {
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            await peer.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
            byte[] received = await ReadExactlyAsync(served.Input, 18);
            Assert.Equal("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), received);

            await served.Output.WriteAsync("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray());
            byte[] answer = new byte[19];
            await ReceiveExactlyAsync(peer, answer);
            Assert.Equal("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray(), answer);
            Assert.Equal(18, served.BytesRead);
            Assert.Equal(19, served.BytesSent);
        }
    }

    [Fact]
    public async Task EndOfStreamSentWithTheLastBytes_IsSeenWithoutAnotherEdge()
    {
        // The peer's FIN arrives with its bytes: one readable edge for both. A transport that waits for another edge
        // after a short read never completes the input (the first version of this one did exactly that).
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            peer.Send("partial head"u8);
            peer.Shutdown(SocketShutdown.Send);

            var all = new List<byte>();
            while (true)
            {
                ReadResult read = await served.Input.ReadAsync().AsTask().WaitAsync(Patience);
                all.AddRange(read.Buffer.ToArray());
                served.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) break;
            }
            Assert.Equal("partial head"u8.ToArray(), all.ToArray());
        }
    }

    [Fact]
    public async Task CompletingOutput_SendsTheRestThenEndOfStream()
    {
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            await served.Output.WriteAsync("last words"u8.ToArray());
            await served.Output.CompleteAsync();
            byte[] all = await ReceiveToEndAsync(peer);
            Assert.Equal("last words"u8.ToArray(), all);
        }
    }

    [Fact]
    public async Task LargeDownload_ToASlowReader_ArrivesWholeAndInOrder()
    {
        // 16 MB toward a peer that reads slowly: the kernel's buffer fills, sends end in EAGAIN, and sending
        // must resume on the writable edge; the writer is held back by the pipe meanwhile.
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
            Task writing = Task.Run(async () =>
            {
                for (int offset = 0; offset < payload.Length; offset += 100_000)
                {
                    FlushResult flushed = await served.Output.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)));
                    Assert.False(flushed.IsCompleted);
                }
                await served.Output.CompleteAsync();
            });
            await Task.Delay(300);     // let the kernel's buffers fill before reading anything
            byte[] received = await ReceiveToEndAsync(peer, slowly: true);
            await writing.WaitAsync(Patience);
            Assert.Equal(payload.Length, received.Length);
            Assert.True(payload.AsSpan().SequenceEqual(received));
            Assert.Equal(payload.Length, served.BytesSent);
        }
    }

    [Fact]
    public async Task LargeUpload_ToASlowReader_ArrivesWholeAndInOrder()
    {
        // 16 MB from the peer while the pipe's reader lags: receiving stops at the pipe's pause threshold, and
        // must read on by itself when the reader catches up (no new edge comes for bytes already waiting).
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
            Task sending = Task.Run(async () =>
            {
                await peer.SendAsync(payload);
                peer.Shutdown(SocketShutdown.Send);
            });
            await Task.Delay(300);
            using var received = new MemoryStream();
            while (true)
            {
                ReadResult read = await served.Input.ReadAsync().AsTask().WaitAsync(Patience);
                foreach (ReadOnlyMemory<byte> segment in read.Buffer) received.Write(segment.Span);
                served.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) break;
                if (received.Length % 7 == 0) await Task.Delay(1);
            }
            await sending.WaitAsync(Patience);
            Assert.True(payload.AsSpan().SequenceEqual(received.ToArray()));
            Assert.Equal(payload.Length, served.BytesRead);
        }
    }

    [Fact]
    public async Task Dispose_RightAfterTheLastWrite_StillSendsEverything()
    {
        // The peer reads nothing until the kernel's buffers are full and a write stays in the pipe (less than the
        // pipe's pause threshold, so the flush completed); then the output is completed and the socket disposed at
        // once, as a connection's last step does. The bytes still in the pipe must go out before the socket closes.
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (peer)
        {
            byte[] written = await FillUntilSendsWaitAsync(served);
            await served.Output.CompleteAsync();
            served.Dispose();

            byte[] received = await ReceiveToEndAsync(peer);
            Assert.Equal(written.Length, received.Length);
            Assert.True(written.AsSpan().SequenceEqual(received));
        }
    }

    [Fact]
    public async Task WriterReleasedByTheSendingPass_WritesItsTailAndDisposes_TheTailStillGoesOut()
    {
        // A writer held back by the pipe resumes inside the pass that sends the earlier bytes (the pass's AdvanceTo runs
        // its continuation inline), writes the rest, completes and disposes there, as a connection's last response does.
        // Dispose must wait for the tail too, not only for the batch being sent (a close after that batch lost the tail).
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (peer)
        {
            using var written = new MemoryStream();
            written.Write(await FillUntilSendsWaitAsync(served));
            byte[] chunk = new byte[16 * 1024];
            ValueTask<FlushResult> flushing;
            do
            {
                RandomNumberGenerator.Fill(chunk);
                written.Write(chunk);
                flushing = served.Output.WriteAsync(chunk);
            }
            while (flushing.IsCompleted);
            byte[] tail = RandomNumberGenerator.GetBytes(5000);
            written.Write(tail);
            Task finishing = FinishAsync(served, flushing, tail);
            Task<byte[]> receiving = ReceiveToEndAsync(peer, slowly: true);

            await finishing.WaitAsync(Patience);
            byte[] received = await receiving;
            Assert.Equal(written.Length, received.Length);
            Assert.True(written.ToArray().AsSpan().SequenceEqual(received));
        }

        static async Task FinishAsync(EpollSocket served, ValueTask<FlushResult> pending, byte[] tail)
        {
            await pending.ConfigureAwait(false);    // resumed by the sending pass, on its thread
            served.Output.Write(tail);
            served.Output.Complete();               // commits the tail
            served.Dispose();
        }
    }

    [Fact]
    public async Task AbortedWhileSendsWait_Dispose_ClosesAtOnce()
    {
        // An abort gives up on the unsent bytes: Dispose must not wait for them (up to 10 s) as it does after a normal end.
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (peer)
        {
            await FillUntilSendsWaitAsync(served);
            await Task.Run(served.Abort);
            served.Dispose();
            await WaitUntilAsync(() => served.Handle.IsClosed, TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public async Task ConnectedSocket_DisposeWhileAFlushWaits_EndsTheFlushAndClosesAtOnce()
    {
        // An upstream connection given up mid-request (Http1Forwarder.AbortUpstream, a pool's Close): the forwarder waiting
        // in a flush must be released at once, and the socket closed, however much is left unsent.
        using EpollSocket connected = await EpollSocket.ConnectAsync(ListenEndPoint, EventLoops.Next(), TransportOptions.Pipe,
            TransportOptions.Pipe, CancellationToken.None).AsTask().WaitAsync(Patience);
        using Socket accepted = await _listener.AcceptAsync();
        byte[] chunk = new byte[64 * 1024];
        ValueTask<FlushResult> flushing;
        while ((flushing = connected.Output.WriteAsync(chunk)).IsCompleted) { }
        Task<FlushResult> pending = flushing.AsTask();

        await Task.Run(connected.Dispose);

        FlushResult ended = await pending.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.True(ended.IsCompleted || ended.IsCanceled);
        await WaitUntilAsync(() => connected.Handle.IsClosed, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Abort_FromAnotherThread_EndsAPendingRead_AndThePeerSeesTheEnd()
    {
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            // Cut, not ended: a body that runs to the end of the connection must not look complete.
            await AssertPendingReadFailsAsync(served, () => Task.Run(served.Abort), SocketError.ConnectionAborted);
            Assert.Empty(await ReceiveToEndAsync(peer));
        }
    }

    [Fact]
    public async Task PeerResetsTheConnection_TheReadFailsWithConnectionReset()
    {
        // A failed receive's errno is read straight after the call (no saved last error): ECONNRESET must come through.
        (EpollSocket served, Socket peer) = await AcceptedPairAsync();
        using (served)
        using (peer)
        {
            peer.LingerState = new LingerOption(true, 0);   // close with a reset, not an end of stream
            await AssertPendingReadFailsAsync(served, () => { peer.Close(); return Task.CompletedTask; }, SocketError.ConnectionReset);
        }
    }

    /// <summary>A read that waits when <paramref name="cut"/> runs ends with a SocketException of <paramref name="expected"/>.</summary>
    private static async Task AssertPendingReadFailsAsync(EpollSocket served, Func<Task> cut, SocketError expected)
    {
        ValueTask<ReadResult> pending = served.Input.ReadAsync();
        Assert.False(pending.IsCompleted);
        await cut();
        SocketException error = await Assert.ThrowsAsync<SocketException>(() => pending.AsTask().WaitAsync(Patience));
        Assert.Equal(expected, error.SocketErrorCode);
    }

    [Fact]
    public async Task Dispose_ClosesTheSocket_AndTheLoopServesNewSocketsAfterwards()
    {
        (EpollSocket first, Socket firstPeer) = await AcceptedPairAsync();
        using (firstPeer)
        {
            first.Dispose();
            Assert.Empty(await ReceiveToEndAsync(firstPeer));
        }
        // The disposed socket's slot is reused; events meant for the old one must not reach the new one, and the
        // new one must get its own.
        for (int i = 0; i < 20; i++)
        {
            (EpollSocket served, Socket peer) = await AcceptedPairAsync();
            using (served)
            using (peer)
            {
                await peer.SendAsync(new[] { (byte)i });
                Assert.Equal(new[] { (byte)i }, await ReadExactlyAsync(served.Input, 1));
            }
        }
    }

    [Fact]
    public async Task ManySocketsRegisteredWhileOthersAreBusy_EachGetsItsBytes()
    {
        // 300 sockets registered while the first ones already exchange bytes: each loop's table grows past its first
        // 64 slots while it delivers events, and no socket's first edge may be lost in the copy.
        const int Count = 300;
        var pairs = new List<(EpollSocket Served, Socket Peer)>();
        try
        {
            var exchanges = new List<Task>();
            for (int i = 0; i < Count; i++)
            {
                (EpollSocket served, Socket peer) = await AcceptedPairAsync();
                pairs.Add((served, peer));
                byte value = (byte)i;
                exchanges.Add(Task.Run(async () =>
                {
                    await peer.SendAsync(new[] { value });
                    Assert.Equal(new[] { value }, await ReadExactlyAsync(served.Input, 1));
                }));
            }
            await Task.WhenAll(exchanges).WaitAsync(Patience);
        }
        finally
        {
            foreach ((EpollSocket served, Socket peer) in pairs)
            {
                served.Dispose();
                peer.Dispose();
            }
        }
    }

    [Fact]
    public async Task Connect_ToAListener_CarriesBytesBothWays()
    {
        using EpollSocket connected = await EpollSocket.ConnectAsync(ListenEndPoint, EventLoops.Next(), TransportOptions.Pipe,
            TransportOptions.Pipe, CancellationToken.None).AsTask().WaitAsync(Patience);
        using Socket accepted = await _listener.AcceptAsync();
        await connected.Output.WriteAsync("ping"u8.ToArray());
        byte[] ping = new byte[4];
        await ReceiveExactlyAsync(accepted, ping);
        Assert.Equal("ping"u8.ToArray(), ping);
        await accepted.SendAsync("pong"u8.ToArray());
        Assert.Equal("pong"u8.ToArray(), await ReadExactlyAsync(connected.Input, 4));
    }

    [Fact]
    public async Task Connect_ToAClosedPort_IsRefused()
    {
        var closed = new IPEndPoint(IPAddress.Loopback, ListenEndPoint.Port);
        _listener.Dispose();
        SocketException refused = await Assert.ThrowsAsync<SocketException>(() =>
            EpollSocket.ConnectAsync(closed, EventLoops.Next(), TransportOptions.Pipe, TransportOptions.Pipe, CancellationToken.None).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Connect_ToAHostName_ResolvesIt()
    {
        using EpollSocket connected = await EpollSocket.ConnectAsync(new DnsEndPoint("localhost", ListenEndPoint.Port, AddressFamily.InterNetwork),
            EventLoops.Next(), TransportOptions.Pipe, TransportOptions.Pipe, CancellationToken.None).AsTask().WaitAsync(Patience);
        using Socket accepted = await _listener.AcceptAsync();
        Assert.Equal(ListenEndPoint.Port, ((IPEndPoint)accepted.LocalEndPoint!).Port);
    }

    [Fact]
    public async Task Connect_ThatGetsNoAnswer_EndsWhenCancelled()
    {
        // A listener that never accepts, with its backlog full: the kernel drops further SYNs, so a connect waits.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        var fillers = new List<Socket>();
        try
        {
            // Connect until a connect gets no answer after at least one got in (a slow answer on a busy machine is not
            // a full backlog): from then on the kernel drops every SYN.
            int answered = 0;
            while (true)
            {
                Assert.True(fillers.Count < 64, "the backlog never filled");
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                Task connecting = filler.ConnectAsync(full.LocalEndPoint!);
                if (await Task.WhenAny(connecting, Task.Delay(500)) == connecting) answered++;
                else if (answered > 0) break;
            }
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                EpollSocket.ConnectAsync(full.LocalEndPoint!, EventLoops.Next(), TransportOptions.Pipe, TransportOptions.Pipe, cancel.Token)
                    .AsTask().WaitAsync(Patience));
        }
        finally
        {
            foreach (Socket filler in fillers) filler.Dispose();
        }
    }

    /// <summary>
    /// Writes random 1 KiB chunks until the kernel's buffers toward a peer that reads nothing are full and a send waits
    /// for room (the last chunk then stays in the pipe, its flush completed); returns everything written.
    /// </summary>
    private static async Task<byte[]> FillUntilSendsWaitAsync(EpollSocket served)
    {
        using var written = new MemoryStream();
        byte[] chunk = new byte[1024];
        while (served.BytesSent == written.Length)
        {
            Assert.True(written.Length < 256 * 1024 * 1024, "the kernel's buffers never filled");
            RandomNumberGenerator.Fill(chunk);
            written.Write(chunk);
            FlushResult flushed = await served.Output.WriteAsync(chunk).AsTask().WaitAsync(Patience);
            Assert.False(flushed.IsCompleted);
        }
        return written.ToArray();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < within, $"not so after {within}");
            await Task.Delay(20);
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(PipeReader reader, int length)
    {
        while (true)
        {
            ReadResult read = await reader.ReadAsync().AsTask().WaitAsync(Patience);
            if (read.Buffer.Length >= length)
            {
                byte[] bytes = read.Buffer.Slice(0, length).ToArray();
                reader.AdvanceTo(read.Buffer.GetPosition(length));
                return bytes;
            }
            Assert.False(read.IsCompleted, "ended early");
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(filled)).AsTask().WaitAsync(Patience);
            Assert.True(received > 0, "ended early");
            filled += received;
        }
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket, bool slowly = false)
    {
        using var all = new MemoryStream();
        byte[] buffer = new byte[slowly ? 8192 : 65536];
        int reads = 0;
        while (true)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Patience);
            if (received == 0) return all.ToArray();
            all.Write(buffer, 0, received);
            if (slowly && ++reads % 64 == 0) await Task.Delay(1);
        }
    }
}
