using System.Net;
using System.Reflection;
using Proxy.Engine.Config;
using Proxy.Engine.Server;
using Proxy.Host.Demo;

namespace Proxy.Host;

/// <summary>
/// `proxy demo` (and a bare `proxy`): the embedded default configuration, with its two destinations served by
/// built-in origins, so that a newcomer sees real answers alternating between them.
/// </summary>
internal static class DemoCommand
{
    public const int DefaultPort = 8080;
    public const string EmbeddedName = "(embedded default)";

    public static async Task<int> ExecuteAsync(int port)
    {
        ConfigLoadResult loaded = ConfigLoader.LoadText(ReadEmbeddedConfig(), EmbeddedName);
        if (!loaded.Succeeded)
        {
            ConfigErrors.Print(loaded.Errors);
            return 1;
        }
        ProxyConfig config = loaded.Config!;
        bool pickFreePorts = port == 0;

        var origins = new List<DemoOrigin>();
        try
        {
            ClusterConfig cluster = config.Clusters[0];
            var destinations = new List<DestinationConfig>();
            foreach (DestinationConfig destination in cluster.Destinations)
            {
                var endPoint = new IPEndPoint(IPAddress.Parse(destination.Host), pickFreePorts ? 0 : destination.Port);
                var origin = new DemoOrigin(((char)('A' + origins.Count)).ToString(), endPoint);
                origins.Add(origin);
                destinations.Add(destination with { Address = origin.EndPoint.ToString(), Port = origin.EndPoint.Port });
            }
            config = config with
            {
                Clusters = [cluster with { Destinations = destinations }, .. config.Clusters.Skip(1)],
                Listeners = [config.Listeners[0] with { Listen = new IPEndPoint(config.Listeners[0].Listen.Address, port) }],
                Admin = pickFreePorts && config.Admin.Listen is { } admin
                    ? config.Admin with { Listen = new IPEndPoint(admin.Address, 0) }
                    : config.Admin,
            };
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            Console.Error.WriteLine($"proxy demo: cannot start the built-in origins: {ex.Message}. " +
                                    "Try `proxy demo --port 0` to use free ports.");
            await DisposeAllAsync(origins).ConfigureAwait(false);
            return 1;
        }

        int exitCode = await RunCommand.RunUntilSignalAsync(config, configPath: null, server => PrintBanner(server, origins)).ConfigureAwait(false);
        await DisposeAllAsync(origins).ConfigureAwait(false);
        return exitCode;
    }

    internal static string ReadEmbeddedConfig()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("default.toml")
                              ?? throw new InvalidOperationException("the embedded default configuration is missing from this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void PrintBanner(ProxyServer server, List<DemoOrigin> origins)
    {
        string proxy = $"http://{server.ListenerEndPoints[0]}";
        Console.WriteLine("proxy demo: the proxy in front of two built-in origins (embedded default configuration)");
        foreach (DemoOrigin origin in origins) Console.WriteLine($"  origin {origin.Name}   http://{origin.EndPoint}/");
        Console.WriteLine($"  proxy      {proxy}/");
        if (server.AdminEndPoint is { } admin) Console.WriteLine($"  admin      http://{admin}/admin/stats");
        Console.WriteLine();
        Console.WriteLine("Try, in another terminal:");
        Console.WriteLine($"  curl -i {proxy}/hello                        # answered by origin A, then B, in turn");
        Console.WriteLine($"  for i in 1 2 3 4; do curl -s {proxy}/; done");
        Console.WriteLine($"  curl -s -d 'some body' {proxy}/echo");
        if (server.AdminEndPoint is { } adminEndPoint) Console.WriteLine($"  curl -s http://{adminEndPoint}/admin/stats");
        Console.WriteLine("Press Ctrl+C to stop.");
        Console.Out.Flush();
    }

    private static async Task DisposeAllAsync(List<DemoOrigin> origins)
    {
        foreach (DemoOrigin origin in origins) await origin.DisposeAsync().ConfigureAwait(false);
    }
}
