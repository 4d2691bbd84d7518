using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>A response as read off the wire by <see cref="RawHttp"/>.</summary>
public sealed record RawResponse(string StatusLine, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A client that writes exact bytes to a socket and reads responses with its own small reader: for pipelining,
/// HTTP/1.0, malformed requests, and anything HttpClient would tidy up.
/// </summary>
public sealed class RawHttp : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public RawHttp(IPEndPoint endPoint)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(endPoint);
        _stream = new NetworkStream(_socket, ownsSocket: true) { ReadTimeout = 10_000 };
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads one response; <paramref name="requestWasHead"/> means no body follows.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool requestWasHead = false)
    {
        string statusLine = await ReadLineAsync() ?? throw new IOException("connection closed before a response");
        int status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>();
        while (await ReadLineAsync() is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        var response = new RawResponse(statusLine, status, headers, []);
        if (requestWasHead || status is 204 or 304 || status < 200) return response;

        var body = new MemoryStream();
        if (response.Header("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                long size = long.Parse((await ReadLineAsync())!.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0) break;
                await ReadExactAsync(size, body);
                await ReadLineAsync();
            }
            while (await ReadLineAsync() is { Length: > 0 }) { }
        }
        else if (response.Header("Content-Length") is { } length)
        {
            await ReadExactAsync(long.Parse(length, CultureInfo.InvariantCulture), body);
        }
        else
        {
            // Delimited by the close: what is already buffered, then everything until end of stream.
            do
            {
                body.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
            while (await FillAsync());
        }
        return response with { Body = body.ToArray() };
    }

    /// <summary>
    /// Reads responses until a final (non-1xx) one and returns it; the status of each interim response read on
    /// the way is added to <paramref name="interim"/> when given.
    /// </summary>
    public async Task<RawResponse> ReadFinalResponseAsync(ICollection<int>? interim = null, bool requestWasHead = false)
    {
        while (true)
        {
            RawResponse response = await ReadResponseAsync(requestWasHead);
            if (response.Status >= 200) return response;
            interim?.Add(response.Status);
        }
    }

    /// <summary>Closes our sending side (TCP FIN) and keeps reading: the server sees the end of the request stream.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>
    /// Every byte until the server closes the connection, starting with what is already buffered. A reset counts
    /// as a close. Throws <see cref="TimeoutException"/> when the connection is still open after <paramref name="within"/>.
    /// </summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan within)
    {
        var all = new MemoryStream();
        all.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        using var timeout = new CancellationTokenSource(within);
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(_buffer, timeout.Token)) > 0) all.Write(_buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"still open after {within}; received {all.Length} bytes");
        }
        catch (IOException)
        {
            // Reset by the server: closed too.
        }
        return all.ToArray();
    }

    /// <summary>True when the server closed the connection (reads return end of stream).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan within)
    {
        if (_start < _end) return false;
        using var timeout = new CancellationTokenSource(within);
        try
        {
            int read = await _stream.ReadAsync(_buffer, timeout.Token);
            if (read == 0) return true;
            _start = 0;
            _end = read;
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<string?> ReadLineAsync()
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync()) return line.Count == 0 ? null : Encoding.Latin1.GetString([.. line]);
            byte b = _buffer[_start++];
            if (b == '\n') return Encoding.Latin1.GetString([.. line]).TrimEnd('\r');
            line.Add(b);
        }
    }

    private async Task ReadExactAsync(long count, MemoryStream into)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync()) throw new IOException("closed in the middle of a body");
            int take = (int)Math.Min(count, _end - _start);
            into.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
    }

    private async Task<bool> FillAsync()
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer);
        return _end > 0;
    }

    public void Dispose() => _stream.Dispose();
}
