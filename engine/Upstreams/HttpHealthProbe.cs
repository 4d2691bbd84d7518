using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Proxy.Engine.Routing;
using Proxy.Health;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Upstreams;

/// <summary>
/// The active health check's GET, on a connection of its own (never a pooled one: a probe must not queue behind
/// client traffic, nor leave a half-read response in a connection a client request would reuse). The probe reads
/// the status line and headers only, then closes.
/// </summary>
internal sealed class HttpHealthProbe(Func<string, Destination?> find) : IHealthProbe
{
    private static readonly HeadLimits ProbeHeadLimits = new(16 * 1024, 100, 16 * 1024);

    public async ValueTask<ProbeResult> ProbeAsync(string destinationKey, string path, CancellationToken cancellationToken)
    {
        if (find(destinationKey) is not { } destination) return ProbeResult.Failed(RequestOutcome.ConnectFailure);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(destination.EndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Failed(RequestOutcome.ConnectTimeout);
        }
        catch (SocketException)
        {
            return ProbeResult.Failed(RequestOutcome.ConnectFailure);
        }

        try
        {
            byte[] request = Encoding.ASCII.GetBytes(
                $"GET {path} HTTP/1.1\r\nHost: {destination.Address}\r\nUser-Agent: proxy-health-check\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return await ReadStatusAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Failed(RequestOutcome.ResponseHeaderTimeout);
        }
        catch (SocketException)
        {
            return ProbeResult.Failed(RequestOutcome.Reset);
        }
    }

    private static async Task<ProbeResult> ReadStatusAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ProbeHeadLimits.MaxHeadBytes);
        try
        {
            var head = new ResponseHead(ProbeHeadLimits);
            int start = 0, filled = 0;      // start: where the next head begins (after any 1xx)
            while (filled < buffer.Length)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0) return ProbeResult.Failed(RequestOutcome.Reset);
                filled += read;
                try
                {
                    var received = new ReadOnlySequence<byte>(buffer, start, filled - start);
                    while (ResponseHeadParser.TryParse(received, head, KnownMethod.Get, out SequencePosition consumed))
                    {
                        if (!head.IsInterim) return ProbeResult.Responded(head.StatusCode);
                        start += (int)received.Slice(0, consumed).Length;
                        received = received.Slice(consumed);
                    }
                }
                catch (HttpRejectException)
                {
                    return ProbeResult.Failed(RequestOutcome.InvalidResponse);
                }
            }
            return ProbeResult.Failed(RequestOutcome.InvalidResponse);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
