using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Proxy.Engine.Config;
using Proxy.Engine.Reload;
using Proxy.Engine.Routing;
using Proxy.Engine.Timeouts;

namespace Proxy.Benchmarks.Config;

/// <summary>
/// What a reload of a large configuration costs: parse + validate (ConfigLoader), then compile + publish
/// (SnapshotCompiler, RoutingTable), inside the <see cref="ReloadGcRegion"/> the ReloadCoordinator opens, as a
/// reload does; and the same without the region, to show what it saves. Target (issue 7): under 100 ms for
/// 10,000 routes.
/// </summary>
[MemoryDiagnoser]
public class ConfigReloadBenchmarks
{
    private string _text = "";
    private Heartbeat _heartbeat = null!;
    private SnapshotCompiler _compiler = null!;
    private readonly RoutingTable _table = new();

    [Params(1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = Generate(Routes, clusters: 100);
        _heartbeat = new Heartbeat(TimeSpan.FromHours(1));
        _compiler = new SnapshotCompiler(_heartbeat);
        _table.Publish(_compiler.Compile(Load()));      // the running configuration a reload replaces
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _compiler.RetireAll();
        _heartbeat.Dispose();
    }

    [Benchmark]
    public ProxyConfig ParseAndValidate() => Load();

    [Benchmark]
    public long ParseValidateCompilePublish()
    {
        using var region = ReloadGcRegion.Enter(Encoding.UTF8.GetByteCount(_text));
        return CompileAndPublish();
    }

    [Benchmark]
    public long ParseValidateCompilePublishWithoutGcRegion() => CompileAndPublish();

    private long CompileAndPublish()
    {
        RoutingSnapshot snapshot = _compiler.Compile(Load());
        _table.Publish(snapshot);
        return snapshot.Version;
    }

    private ProxyConfig Load() =>
        ConfigLoader.LoadText(_text, "bench.toml").Config ?? throw new InvalidOperationException("the generated configuration is invalid");

    /// <summary>Routes spread over 500 hosts (a fifth of them wildcards) with distinct path prefixes, over 100 clusters.</summary>
    internal static string Generate(int routes, int clusters)
    {
        var text = new StringBuilder("[[listeners]]\nname = \"web\"\nlisten = \"127.0.0.1:8080\"\n\n");
        for (int i = 0; i < routes; i++)
        {
            string host = i % 5 == 0 ? $"*.w{i % 500}.example.org" : $"h{i % 500}.example.com";
            text.Append(CultureInfo.InvariantCulture,
                $"[[routes]]\nname = \"r{i}\"\nhosts = [\"{host}\"]\npath_prefix = \"/p{i}/\"\npriority = {i % 3}\ncluster = \"c{i % clusters}\"\n\n");
        }
        for (int c = 0; c < clusters; c++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"[[clusters]]\nname = \"c{c}\"\ndestinations = [{{ address = \"10.0.{c / 250}.{c % 250 + 1}:80\" }}, {{ address = \"10.1.{c / 250}.{c % 250 + 1}:80\" }}]\n\n");
        }
        return text.ToString();
    }
}
