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
        var server = new ProxyServer(WithTestTransport(config), NullLoggerFactory.Instance);
        server.Start();
        return new InProcessProxy(server);
    }

    public static InProcessProxy Start(params TestOrigin[] origins) => Start(TestConfigs.OneCluster(origins));

    /// <summary>The proxy on the configuration file at <paramref name="path"/>, which reloads re-read.</summary>
    public static InProcessProxy StartFile(string path)
    {
        Engine.Config.ConfigLoadResult loaded = Engine.Config.ConfigLoader.LoadFile(path);
        if (!loaded.Succeeded) throw new InvalidOperationException(string.Join('\n', loaded.Errors));
        var server = new ProxyServer(WithTestTransport(loaded.Config!), NullLoggerFactory.Instance, path);
        server.Start();
        return new InProcessProxy(server);
    }

    /// <summary>
    /// server.transport for every in-process proxy: as configured, unless PROXY_TEST_TRANSPORT says "epoll" or
    /// "sockets". scripts/test.sh runs this project once more with "sockets", so both transports pass every test here.
    /// </summary>
    private static ProxyConfig WithTestTransport(ProxyConfig config) => Environment.GetEnvironmentVariable("PROXY_TEST_TRANSPORT") switch
    {
        null or "" => config,
        "epoll" => config with { Server = config.Server with { Transport = SocketTransport.Epoll } },
        "sockets" => config with { Server = config.Server with { Transport = SocketTransport.Sockets } },
        string other => throw new InvalidOperationException($"PROXY_TEST_TRANSPORT must be epoll or sockets, not {other}"),
    };

    /// <summary>An HttpClient aimed at the proxy, with its own connection pool.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = BaseUri,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync() => await Server.StopAsync(TimeSpan.FromSeconds(2));
}
