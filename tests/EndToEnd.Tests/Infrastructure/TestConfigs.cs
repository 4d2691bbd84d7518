using System.Net;
using Proxy.Engine.Config;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>Configurations for tests: everything on 127.0.0.1 with free ports.</summary>
public static class TestConfigs
{
    /// <summary>One listener, one catch-all route to one cluster made of <paramref name="origins"/>.</summary>
    public static ProxyConfig OneCluster(params TestOrigin[] origins) => OneCluster(origins.Select(o => o.Address).ToArray());

    /// <summary>As <see cref="OneCluster(TestOrigin[])"/>, with destinations given as "host:port".</summary>
    public static ProxyConfig OneCluster(params string[] destinations) => new()
    {
        SourcePath = "(test)",
        Server = new ServerConfig { Workers = 2, ShutdownTimeout = TimeSpan.FromSeconds(5) },
        Admin = new AdminConfig { Listen = new IPEndPoint(IPAddress.Loopback, 0) },
        Listeners = [new ListenerConfig { Name = "web", Listen = new IPEndPoint(IPAddress.Loopback, 0) }],
        Routes = [new RouteConfig { Name = "all", Cluster = "backend" }],
        Clusters = [Cluster("backend", destinations)],
    };

    public static ClusterConfig Cluster(string name, params string[] destinations) => new()
    {
        Name = name,
        Destinations = destinations.Select(Destination).ToArray(),
    };

    public static DestinationConfig Destination(string address)
    {
        int colon = address.LastIndexOf(':');
        return new DestinationConfig
        {
            Address = address,
            Host = address[..colon],
            Port = int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// A loopback port with nothing listening on it (bound, then released), never one handed out before in this
    /// process: the kernel may give a released port out again at once, and two calls in a row (a listener's port and
    /// the admin port) then named the same port.
    /// </summary>
    public static int UnusedPort()
    {
        while (true)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }

    private static readonly HashSet<int> HandedOut = [];
}
