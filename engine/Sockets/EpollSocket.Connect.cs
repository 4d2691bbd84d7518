using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

internal sealed partial class EpollSocket
{
    /// <summary>
    /// Opens a connection to <paramref name="endPoint"/> on <paramref name="loop"/>: a non-blocking connect whose
    /// answer comes as the first writable (or error) edge. A host name is resolved first and its addresses tried
    /// in turn. Throws <see cref="SocketException"/> when no address answers, <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public static async ValueTask<EpollSocket> ConnectAsync(EndPoint endPoint, EventLoop loop, PipeOptions sendOptions,
        PipeOptions receiveOptions, CancellationToken cancellationToken)
    {
        if (endPoint is IPEndPoint address)
        {
            return await ConnectToAsync(address, loop, sendOptions, receiveOptions, cancellationToken).ConfigureAwait(false);
        }
        if (endPoint is not DnsEndPoint named) throw new ArgumentException($"cannot connect to {endPoint}", nameof(endPoint));
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(named.Host, named.AddressFamily, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (IPAddress candidate in addresses)
        {
            try
            {
                return await ConnectToAsync(new IPEndPoint(candidate, named.Port), loop, sendOptions, receiveOptions, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static async ValueTask<EpollSocket> ConnectToAsync(IPEndPoint endPoint, EventLoop loop, PipeOptions sendOptions,
        PipeOptions receiveOptions, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        var connection = new EpollSocket(socket, loop, sendOptions, receiveOptions, drainOnDispose: false);
        // No receiving until connected: the readiness that answers the connect would start a receive, and a receive
        // on a refused connect takes its error (SO_ERROR), leaving the check below waiting for an edge that never comes.
        connection._receiveRole.Hold();
        try
        {
            // Registered only once the connect has started: a socket not yet connecting polls as hung up, which would
            // end the wait below at once. The connect's answer is a writable (or error) edge, and the send side's flag
            // is raised so that it wakes us; an answer that came before the registration is reported by it.
            int errno = StartConnect(connection.Handle, endPoint);
            connection._sendBlocked = 1;
            loop.Register(connection);
            // The timeout wakes the wait through the thread pool: Abort resumes the waiter inline, and what follows (a
            // retry on another destination, a 504) should not run on the timer's thread.
            using (cancellationToken.UnsafeRegister(static state => ThreadPool.UnsafeQueueUserWorkItem(
                static socket => socket.Abort(), (EpollSocket)state!, preferLocal: false), connection))
            {
                while (errno == Native.EINPROGRESS)
                {
                    await connection._writable.WaitAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    errno = ConnectOutcome(connection.Handle);
                    if (errno == Native.EINPROGRESS)
                    {
                        // Woken by something else while still connecting: wait for the next edge, and look once more
                        // after raising the flag, since an edge between the look and the flag would wake nobody.
                        Interlocked.Exchange(ref connection._sendBlocked, 1);
                        errno = ConnectOutcome(connection.Handle);
                    }
                }
            }
            // Once the registration is disposed its callback has run or never will: a timeout that came just as the
            // connect succeeded has queued an Abort, so this connection cannot be handed out.
            cancellationToken.ThrowIfCancellationRequested();
            if (errno != 0) throw Native.ToException(errno);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        Volatile.Write(ref connection._sendBlocked, 0);
        connection._receiveRole.Release();
        connection.RequestReceive();     // anything that came with the connection: an edge may have passed unread
        return connection;
    }

    /// <summary>0 when connected at once, EINPROGRESS when the answer is to come, else the failure.</summary>
    private static unsafe int StartConnect(SafeSocketHandle handle, IPEndPoint endPoint)
    {
        // .NET's SocketAddress holds the platform's own sockaddr bytes.
        SocketAddress address = endPoint.Serialize();
        fixed (byte* start = address.Buffer.Span)
        {
            while (true)
            {
                if (Native.Connect(handle, start, (uint)address.Size) == 0) return 0;
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Native.EINTR) return errno;
            }
        }
    }

    /// <summary>0 when connected, EINPROGRESS while connecting, else the connect's failure.</summary>
    private static int ConnectOutcome(SafeSocketHandle handle)
    {
        int errno = PendingError(handle);
        if (errno == 0 && !IsConnected(handle)) return Native.EINPROGRESS;
        return errno;
    }

    /// <summary>Whether the socket has a peer (getpeername succeeds): a connect in progress has none yet.</summary>
    private static unsafe bool IsConnected(SafeSocketHandle handle)
    {
        byte* address = stackalloc byte[128];
        uint length = 128;
        return Native.GetPeerName(handle, address, &length) == 0;
    }

    /// <summary>SO_ERROR: what became of a connect that was in progress (0: connected).</summary>
    private static unsafe int PendingError(SafeSocketHandle handle)
    {
        int error = 0;
        uint length = sizeof(int);
        if (Native.GetSocketOption(handle, Native.SOL_SOCKET, Native.SO_ERROR, &error, &length) != 0) return Marshal.GetLastPInvokeError();
        return error;
    }
}
