using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Proxy.Engine.Config;
using Proxy.Engine.Server;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>The proxy running inside the test process, on real loopback sockets.</summary>
public sealed class InProcessProxy : IAsyncDisposable
{
    private InProcessProxy(ProxyServer server)
    {
        Server = server;
        EndPoint = server.ListenerEndPoints[0];
        BaseUri = new Uri($"http://{EndPoint}/");
    }

    public ProxyServer Server { get; }
    public IPEndPoint EndPoint { get; }
    public Uri BaseUri { get; }
    public Uri AdminUri => new($"http://{Server.AdminEndPoint}/");

    public static InProcessProxy Start(ProxyConfig config)
    {
        var server = new ProxyServer(config, NullLoggerFactory.Instance);
        server.Start();
        return new InProcessProxy(server);
    }

    public static InProcessProxy Start(params TestOrigin[] origins) => Start(TestConfigs.OneCluster(origins));

    /// <summary>An HttpClient aimed at the proxy, with its own connection pool.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = BaseUri,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync() => await Server.StopAsync(TimeSpan.FromSeconds(2));
}
