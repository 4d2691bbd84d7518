using System.Globalization;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A configuration file that tests rewrite between reloads: one listener and admin on fixed free ports, clusters
/// named after origins, and routes as "path prefix → cluster" pairs.
/// </summary>
public sealed class ReloadableConfig : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proxy-reload-").FullName;

    public ReloadableConfig()
    {
        Path = System.IO.Path.Combine(_folder, "proxy.toml");
        Port = TestConfigs.UnusedPort();
        AdminPort = TestConfigs.UnusedPort();
    }

    public string Path { get; }
    public string Folder => _folder;
    public int Port { get; }
    public int AdminPort { get; }

    /// <summary>Writes the file in place.</summary>
    public void Write(string toml) => File.WriteAllText(Path, toml);

    /// <summary>Writes a temporary file and renames it over the config, as deploy tools and many editors do.</summary>
    public void WriteAtomically(string toml)
    {
        string temporary = Path + ".tmp";
        File.WriteAllText(temporary, toml);
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>
    /// TOML with the fixed listener and admin, a cluster per origin (named by the dictionary key) and a route per
    /// (prefix, cluster) pair in order; <paramref name="extra"/> is appended verbatim.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, TestOrigin> clusters, IEnumerable<(string Prefix, string Cluster)> routes,
        string extra = "", int? listenerPort = null, string listenerName = "web")
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"[server]\nworkers = 1\nshutdown_timeout = \"5s\"\n\n[admin]\nlisten = \"127.0.0.1:{AdminPort}\"\n");
        text.AppendLine(CultureInfo.InvariantCulture, $"[[listeners]]\nname = \"{listenerName}\"\nlisten = \"127.0.0.1:{listenerPort ?? Port}\"\n");
        int n = 0;
        foreach (var (prefix, cluster) in routes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[[routes]]\nname = \"r{n++}\"\npath_prefix = \"{prefix}\"\ncluster = \"{cluster}\"\n");
        }
        foreach (var (name, origin) in clusters)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[[clusters]]\nname = \"{name}\"\ndestinations = [{{ address = \"{origin.Address}\" }}]\n");
        }
        text.AppendLine(extra);
        return text.ToString();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
