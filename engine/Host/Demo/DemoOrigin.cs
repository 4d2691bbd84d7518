using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipelines.Sockets.Unofficial;
using Proxy.Protocols.Http1;

namespace Proxy.Host.Demo;

/// <summary>
/// A small origin server for the demo: answers every request with a few lines of text naming itself, so that
/// a newcomer sees which origin the proxy chose. Speaks HTTP/1.1 keep-alive with Content-Length or chunked
/// request bodies, on the proxy's own parser.
/// </summary>
internal sealed class DemoOrigin : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Task _accepting;

    public DemoOrigin(string name, IPEndPoint endPoint)
    {
        Name = name;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(endPoint);
        _listener.Listen(512);
        _accepting = Task.Run(AcceptAsync);
    }

    public string Name { get; }
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            client.NoDelay = true;
            _ = ServeAsync(SocketConnection.Create(client, name: "demo-origin"));
        }
    }

    private async Task ServeAsync(SocketConnection connection)
    {
        var head = new RequestHead(HeadLimits.Default);
        try
        {
            while (true)
            {
                ReadResult read = await connection.Input.ReadAsync().ConfigureAwait(false);
                if (!RequestHeadParser.TryParse(read.Buffer, head, out SequencePosition consumed))
                {
                    connection.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    if (read.IsCompleted) return;
                    continue;
                }
                connection.Input.AdvanceTo(consumed);
                long bodyBytes = await ReadBodyAsync(connection.Input, head).ConfigureAwait(false);
                WriteAnswer(connection.Output, head, bodyBytes);
                await connection.Output.FlushAsync().ConfigureAwait(false);
                if (!head.KeepAlive) return;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or HttpRejectException
                                       or OperationCanceledException)
        {
            // The demo answers what it understands and drops the rest.
        }
        finally
        {
            await connection.Output.CompleteAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }

    private void WriteAnswer(PipeWriter output, RequestHead head, long bodyBytes)
    {
        string body = $"Hello from origin {Name} ({EndPoint})\n" +
                      $"You asked for: {Encoding.ASCII.GetString(head.MethodName)} {Encoding.ASCII.GetString(head.Target)}\n" +
                      (bodyBytes > 0 ? $"You sent {bodyBytes} bytes of body\n" : "");
        if (head.TryGetValue(KnownHeader.XForwardedFor, out ReadOnlySpan<byte> forwardedFor))
        {
            body += $"X-Forwarded-For: {Encoding.ASCII.GetString(forwardedFor)}\n";
        }
        byte[] bodyBytesUtf8 = Encoding.UTF8.GetBytes(body);
        string responseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n" +
                              $"Content-Length: {bodyBytesUtf8.Length}\r\nX-Origin: {Name}\r\n" +
                              (head.KeepAlive ? "" : "Connection: close\r\n") + "\r\n";
        output.Write(Encoding.ASCII.GetBytes(responseHead));
        if (head.Method != KnownMethod.Head) output.Write(bodyBytesUtf8);
    }

    /// <summary>Reads and counts the request body, whatever its framing.</summary>
    private static async Task<long> ReadBodyAsync(PipeReader input, RequestHead head)
    {
        long total = 0;
        if (head.Framing == BodyFraming.ContentLength)
        {
            while (total < head.ContentLength)
            {
                ReadResult read = await input.ReadAsync().ConfigureAwait(false);
                long take = Math.Min(head.ContentLength - total, read.Buffer.Length);
                input.AdvanceTo(read.Buffer.GetPosition(take));
                total += take;
                if (read.IsCompleted && total < head.ContentLength) throw new IOException("client closed mid-body");
            }
        }
        else if (head.Framing == BodyFraming.Chunked)
        {
            var decoder = new ChunkedDecoder(ChunkedLimits.Default);
            while (!decoder.IsFinished)
            {
                ReadResult read = await input.ReadAsync().ConfigureAwait(false);
                total += CountChunkedData(ref decoder, read.Buffer, out SequencePosition consumed);
                input.AdvanceTo(consumed, read.Buffer.End);
                if (read.IsCompleted && !decoder.IsFinished) throw new IOException("client closed mid-body");
            }
        }
        return total;
    }

    private static long CountChunkedData(ref ChunkedDecoder decoder, ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        long data = 0;
        ChunkedDecodeStatus status;
        while ((status = decoder.Decode(ref reader, out ReadOnlySequence<byte> slice)) is not ChunkedDecodeStatus.NeedMoreData
               and not ChunkedDecodeStatus.Done)
        {
            if (status == ChunkedDecodeStatus.Data) data += slice.Length;
        }
        consumed = reader.Position;
        return data;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
    }
}
