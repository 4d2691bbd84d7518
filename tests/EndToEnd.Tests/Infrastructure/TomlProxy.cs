namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An in-process proxy started from a TOML file, as an operator writes it: one listener, the admin listener, one route
/// to the cluster "backend" with the given destinations and whatever cluster keys and sections a test adds.
/// </summary>
public sealed class TomlProxy : IAsyncDisposable
{
    private readonly TomlFiles _files = new();

    private TomlProxy(string toml)
    {
        Path = _files.Write("proxy.toml", toml);
        Proxy = InProcessProxy.StartFile(Path);
    }

    public InProcessProxy Proxy { get; }
    public string Path { get; }

    /// <param name="clusterKeys">Lines added to [[clusters]] (e.g. <c>balancer = "least_conn"</c>).</param>
    /// <param name="clusterSections">Sub-tables of the cluster ([clusters.retry], [clusters.health]...) and any other top-level text.</param>
    /// <param name="destinations">Destination addresses, or whole inline tables (<c>{ address = "...", weight = 3 }</c>).</param>
    public static TomlProxy Start(string clusterKeys, string clusterSections, params string[] destinations)
    {
        int port = TestConfigs.UnusedPort(), adminPort = TestConfigs.UnusedPort();
        string toml = $"""
            [server]
            workers = 1

            [admin]
            listen = "127.0.0.1:{adminPort}"

            [[listeners]]
            name = "web"
            listen = "127.0.0.1:{port}"

            [[routes]]
            name = "all"
            cluster = "backend"

            [[clusters]]
            name = "backend"
            {clusterKeys}
            destinations = [{string.Join(", ", destinations.Select(d => d.StartsWith('{') ? d : $"{{ address = \"{d}\" }}"))}]

            {clusterSections}
            """;
        return new TomlProxy(toml);
    }

    /// <summary>A proxy on <paramref name="routesAndClusters"/> (any [[routes]], [[clusters]] and other sections) behind one listener.</summary>
    public static TomlProxy StartWith(string routesAndClusters)
    {
        int port = TestConfigs.UnusedPort(), adminPort = TestConfigs.UnusedPort();
        return new TomlProxy($"""
            [server]
            workers = 1

            [admin]
            listen = "127.0.0.1:{adminPort}"

            [[listeners]]
            name = "web"
            listen = "127.0.0.1:{port}"

            {routesAndClusters}
            """);
    }

    public HttpClient CreateClient() => Proxy.CreateClient();

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        _files.Dispose();
    }
}
