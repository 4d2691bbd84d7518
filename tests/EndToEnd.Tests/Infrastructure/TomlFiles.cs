namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>Configuration files for tests that run the real executable; deleted with the test's temp folder.</summary>
public sealed class TomlFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proxy-test-").FullName;

    public string Write(string name, string toml)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, toml);
        return path;
    }

    /// <summary>A listener on <paramref name="port"/>, admin on <paramref name="adminPort"/>, one cluster of <paramref name="destinations"/>.</summary>
    public static string Basic(int port, int adminPort, params string[] destinations) => $"""
        [server]
        workers = 1
        shutdown_timeout = "10s"

        [limits]
        max_request_body = "1GiB"

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
        destinations = [{string.Join(", ", destinations.Select(d => $"{{ address = \"{d}\" }}"))}]
        """;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
