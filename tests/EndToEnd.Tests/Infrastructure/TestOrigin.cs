using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An origin server for tests over real loopback sockets, with its own deliberately simple HTTP/1.1 reading
/// (not the proxy's parser, so a parser bug cannot hide itself). It records what it received and answers
/// with whatever the handler says, including misbehaviour: silence, truncation, close-delimited bodies.
/// </summary>
public sealed class TestOrigin : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<OriginRequest, OriginResponse> _handler;
    private readonly Task _accepting;
    private readonly ConcurrentBag<Socket> _clients = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _connections;

    public TestOrigin(Func<OriginRequest, OriginResponse>? handler = null, int port = 0)
    {
        _handler = handler ?? (_ => OriginResponse.Text("hello from origin"));
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(1024);
        _accepting = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;
    public string Address => $"127.0.0.1:{EndPoint.Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<OriginRequest> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            // Heads and bodies go out in separate writes: without NoDelay, Nagle and delayed ACKs add 40 ms to some.
            client.NoDelay = true;
            int number = Interlocked.Increment(ref _connections);
            _clients.Add(client);
            _ = Task.Run(() => ServeAsync(client, number));
        }
    }

    private async Task ServeAsync(Socket socket, int connectionNumber)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = new ByteReader(stream);
        try
        {
            while (true)
            {
                OriginRequest? request = await ReadRequestAsync(reader, connectionNumber);
                if (request is null) return;
                Requests.Enqueue(request);
                OriginResponse response = _handler(request);
                if (response.Delay > TimeSpan.Zero) await Task.Delay(response.Delay, _stopping.Token);
                if (response.Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                }
                if (response.CloseWithoutAnswer) return;
                bool keepOpen = response.RawPieces is null
                    ? await WriteResponseAsync(stream, request, response)
                    : await WriteRawAsync(stream, response);
                if (!keepOpen) return;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The proxy closed or the test is over.
        }
    }

    private static async Task<OriginRequest?> ReadRequestAsync(ByteReader reader, int connectionNumber)
    {
        string? requestLine = await reader.ReadLineAsync();
        if (requestLine is null) return null;
        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3) throw new IOException($"bad request line: {requestLine}");
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            string? line = await reader.ReadLineAsync() ?? throw new IOException("closed in the head");
            if (line.Length == 0) break;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        string? contentLength = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        bool chunked = headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                                        && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var body = new BodySink();
        if (chunked)
        {
            while (true)
            {
                string sizeLine = await reader.ReadLineAsync() ?? throw new IOException("closed in a chunk size");
                long size = long.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0) break;
                await reader.CopyExactAsync(size, body);
                if (await reader.ReadLineAsync() != "") throw new IOException("chunk data not followed by CRLF");
            }
            while (await reader.ReadLineAsync() is { Length: > 0 } trailer)
            {
                int colon = trailer.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new("trailer:" + trailer[..colon], trailer[(colon + 1)..].Trim()));
            }
        }
        else if (contentLength is not null)
        {
            await reader.CopyExactAsync(long.Parse(contentLength, CultureInfo.InvariantCulture), body);
        }
        return new OriginRequest(parts[0], parts[1], parts[2], headers, body.Length, body.Kept, chunked, connectionNumber);
    }

    private static async Task<bool> WriteResponseAsync(NetworkStream stream, OriginRequest request, OriginResponse response)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{response.InterimResponses}{response.Version} {response.Status} {response.Reason}\r\n");
        foreach (var (name, value) in response.Headers) head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        long length = response.GeneratedBodyLength > 0 ? response.GeneratedBodyLength : response.Body.Length;
        bool close = response.Close || response.Framing == OriginFraming.CloseDelimited
                     || request.Header("Connection")?.Equals("close", StringComparison.OrdinalIgnoreCase) == true;
        switch (response.Framing)
        {
            case OriginFraming.ContentLength: head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n"); break;
            case OriginFraming.Chunked: head.Append("Transfer-Encoding: chunked\r\n"); break;
        }
        if (close && response.Framing != OriginFraming.CloseDelimited) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));

        if (response.Framing == OriginFraming.NoBody || request.Method == "HEAD") return !close;
        long limit = response.TruncateBodyAfter >= 0 ? response.TruncateBodyAfter : length;
        await foreach (ReadOnlyMemory<byte> piece in BodyPieces(response, limit))
        {
            if (response.Framing == OriginFraming.Chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
                await stream.WriteAsync(piece);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            else
            {
                await stream.WriteAsync(piece);
            }
        }
        if (response.TruncateBodyAfter >= 0) return false;
        if (response.Framing == OriginFraming.Chunked)
        {
            var end = new StringBuilder("0\r\n");
            foreach (var (name, value) in response.Trailers) end.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(end.Append("\r\n").ToString()));
        }
        return !close;
    }

    private async Task<bool> WriteRawAsync(NetworkStream stream, OriginResponse response)
    {
        for (int i = 0; i < response.RawPieces!.Count; i++)
        {
            if (i > 0 && response.PieceDelay > TimeSpan.Zero) await Task.Delay(response.PieceDelay, _stopping.Token);
            await stream.WriteAsync(response.RawPieces[i]);
        }
        return !response.Close;
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> BodyPieces(OriginResponse response, long limit)
    {
        if (response.GeneratedBodyLength <= 0)
        {
            if (limit > 0) yield return response.Body.AsMemory(0, (int)Math.Min(limit, response.Body.Length));
            yield break;
        }
        var buffer = new byte[64 * 1024];
        for (long offset = 0; offset < limit;)
        {
            int size = (int)Math.Min(buffer.Length, limit - offset);
            for (int i = 0; i < size; i++) buffer[i] = OriginResponse.GeneratedByte(offset + i);
            offset += size;
            yield return buffer.AsMemory(0, size);
            await Task.Yield();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        foreach (Socket client in _clients)
        {
            try { client.Dispose(); } catch (ObjectDisposedException) { }
        }
        await _accepting;
        _stopping.Dispose();
    }

    /// <summary>Keeps the first MiB of a body for assertions and counts the rest.</summary>
    private sealed class BodySink
    {
        private const int KeepLimit = 1024 * 1024;
        private readonly List<byte> _kept = [];
        public long Length { get; private set; }
        public byte[] Kept => [.. _kept];

        public void Append(ReadOnlySpan<byte> data)
        {
            Length += data.Length;
            int room = KeepLimit - _kept.Count;
            if (room > 0) _kept.AddRange(data[..Math.Min(room, data.Length)]);
        }
    }

    /// <summary>Buffered reads of lines and exact byte counts from a stream.</summary>
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end;

        public async Task<string?> ReadLineAsync()
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync()) return line.Count == 0 ? null : throw new IOException("closed mid-line");
                byte b = _buffer[_start++];
                if (b == '\n')
                {
                    if (line.Count == 0 || line[^1] != '\r') throw new IOException("bare LF");
                    return Encoding.Latin1.GetString(line.ToArray(), 0, line.Count - 1);
                }
                line.Add(b);
            }
        }

        public async Task CopyExactAsync(long count, BodySink sink)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync()) throw new IOException("closed mid-body");
                int take = (int)Math.Min(count, _end - _start);
                sink.Append(_buffer.AsSpan(_start, take));
                _start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer);
            return _end > 0;
        }
    }
}
