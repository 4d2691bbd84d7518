using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Reload;
using Proxy.Engine.Metrics;
using Proxy.Engine.Server;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Admin;

/// <summary>
/// The admin listener (loopback by default): a small HTTP/1.1 server on the proxy's own parser, answering
/// JSON under /admin/* and Prometheus text at /metrics. Not on the request path, so clarity wins over allocation
/// here. /admin/* needs the bearer token when <c>admin.token</c> is set; /metrics does not (config-reference.toml:
/// the token guards /admin/*), so a scraper needs no secret: keep the listener on loopback or a private network.
/// </summary>
internal sealed class AdminServer
{
    private readonly ServerContext _server;
    private readonly Func<AdminConfig> _config;       // read per request: a reload may change the token
    private readonly ProxyServer _proxy;
    private readonly ProxyMetrics _metrics;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly Socket _socket;
    private Task _running = Task.CompletedTask;
    private volatile bool _stopping;

    /// <summary>Serves on <paramref name="socket"/>, already listening.</summary>
    /// <param name="metrics">What /metrics exports; by default metrics of <paramref name="server"/>'s counters and pools
    /// only (pass the instance the forwarder reports to, to export per-route figures too).</param>
    public AdminServer(ServerContext server, Func<AdminConfig> config, ProxyServer proxy, Socket socket, ProxyMetrics? metrics = null)
    {
        _server = server;
        _config = config;
        _proxy = proxy;
        _socket = socket;
        _metrics = metrics ?? new ProxyMetrics(server.Stats, server.Routing);
    }

    public ProxyMetrics Metrics => _metrics;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Start() => _running = Task.Run(AcceptAsync);

    public Task StopAsync()
    {
        _stopping = true;
        _socket.Dispose();
        return _running;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                if (_stopping) return;
                continue;
            }
            _ = ServeAsync(SocketConnection.Create(client, TransportOptions.Pipe, TransportOptions.Client(releaseIdleBuffers: true), name: "admin"));
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
                ReadOnlySequence<byte> buffer = read.Buffer;
                if (!RequestHeadParser.TryParse(buffer, head, out SequencePosition consumed))
                {
                    connection.Input.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted) return;
                    continue;
                }
                connection.Input.AdvanceTo(consumed);
                await SkipBodyAsync(connection.Input, head).ConfigureAwait(false);

                AdminResponse response = await HandleAsync(head).ConfigureAwait(false);
                bool close = !head.KeepAlive;
                WriteResponse(connection.Output, response, close);
                await connection.Output.FlushAsync().ConfigureAwait(false);
                if (close) return;
            }
        }
        catch (HttpRejectException ex)
        {
            connection.Output.Write(Forwarding.CannedResponses.For(RejectStatus.Of(ex.Reason), close: true));
            await connection.Output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The admin client went away.
        }
        finally
        {
            await connection.Output.CompleteAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }

    private const string Help =
        "proxy admin API (/admin/* needs \"Authorization: Bearer <admin.token>\" when admin.token is set)\n" +
        "  GET  /metrics\n" +
        "  GET  /admin/stats\n" +
        "  GET  /admin/config\n" +
        "  GET  /admin/routes\n" +
        "  GET  /admin/clusters\n" +
        "  POST /admin/reload\n" +
        "  POST /admin/clusters/{name}/destinations/{address}/drain\n" +
        "  POST /admin/clusters/{name}/destinations/{address}/undrain\n";

    private async ValueTask<AdminResponse> HandleAsync(RequestHead head)
    {
        string path = Encoding.ASCII.GetString(head.Path);
        if (path.StartsWith("/admin/", StringComparison.Ordinal) && !IsAuthorized(head))
        {
            return AdminResponse.Text(401, "401 Unauthorized: send \"Authorization: Bearer <admin.token>\"\n");
        }
        if (path.StartsWith(DrainEndpoint.Prefix, StringComparison.Ordinal)
            && await DrainEndpoint.TryHandleAsync(head.Method, path, _proxy, _server.Routing).ConfigureAwait(false) is { } drained)
        {
            return drained;
        }
        return (head.Method, path) switch
        {
            (KnownMethod.Get, "/metrics") => await RenderMetricsAsync().ConfigureAwait(false),
            (KnownMethod.Get, "/admin/stats") => AdminResponse.Json(StatsDocument.Render(_server, _startedAt, _proxy.ConfigStatus)),
            (KnownMethod.Get, "/admin/config") => AdminResponse.Json(ConfigDocument.Render(_proxy.ConfigStatus)),
            (KnownMethod.Get, "/admin/routes") => AdminResponse.Json(RoutesDocument.Render(_server.Routing.Current)),
            (KnownMethod.Get, "/admin/clusters") => AdminResponse.Json(ClustersDocument.Render(_server.Routing.Current)),
            (KnownMethod.Post, "/admin/reload") => await ReloadAsync().ConfigureAwait(false),
            (KnownMethod.Get, "/") => AdminResponse.Text(200, Help),
            (_, "/metrics" or "/admin/stats" or "/admin/config" or "/admin/routes" or "/admin/clusters" or "/") =>
                AdminResponse.MethodNotAllowed("GET"),
            (_, "/admin/reload") => AdminResponse.MethodNotAllowed("POST"),
            _ => AdminResponse.Text(404, "404 Not Found\n"),
        };
    }

    /// <summary>POST /admin/reload: 200 with the outcome when applied or unchanged, 422 with every error when refused.</summary>
    private async Task<AdminResponse> ReloadAsync()
    {
        ReloadOutcome outcome = await _proxy.ReloadAsync(ReloadTrigger.Admin).ConfigureAwait(false);
        return new AdminResponse(outcome.Succeeded ? 200 : 422, "application/json", ConfigDocument.Render(_proxy.ConfigStatus, outcome));
    }

    private async Task<AdminResponse> RenderMetricsAsync()
    {
        using var body = new MemoryStream();
        await _metrics.ExportAsync(body).ConfigureAwait(false);
        return new AdminResponse(200, ProxyMetrics.ContentType, body.ToArray());
    }

    private bool IsAuthorized(RequestHead head)
    {
        string token = _config().Token;
        if (token.Length == 0) return true;
        foreach (ref readonly HeaderField field in head.Headers)
        {
            if (!Ascii.EqualsIgnoreCase(head.NameOf(field), "Authorization"u8)) continue;
            byte[] expected = Encoding.UTF8.GetBytes("Bearer " + token);
            // Constant time: the token must not leak through response timing.
            return CryptographicOperations.FixedTimeEquals(head.ValueOf(field), expected);
        }
        return false;
    }

    private static async Task SkipBodyAsync(PipeReader input, RequestHead head)
    {
        long remaining = head.Framing == BodyFraming.ContentLength ? head.ContentLength : 0;
        if (head.Framing == BodyFraming.Chunked) throw new HttpRejectException(RejectReason.InvalidTransferEncoding);
        while (remaining > 0)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            long take = Math.Min(remaining, read.Buffer.Length);
            input.AdvanceTo(read.Buffer.GetPosition(take));
            remaining -= take;
            if (read.IsCompleted && remaining > 0) throw new IOException("admin client closed mid-body");
        }
    }

    private static void WriteResponse(PipeWriter output, AdminResponse response, bool close)
    {
        string head = $"HTTP/1.1 {response.Status} {Forwarding.CannedResponses.ReasonPhrase(response.Status)}\r\n" +
                      $"Content-Type: {response.ContentType}\r\nContent-Length: {response.Body.Length}\r\n" +
                      "Cache-Control: no-store\r\n" +
                      (response.Allow is null ? "" : $"Allow: {response.Allow}\r\n") +
                      (close ? "Connection: close\r\n" : "") + "\r\n";
        output.Write(Encoding.ASCII.GetBytes(head));
        output.Write(response.Body);
    }
}
