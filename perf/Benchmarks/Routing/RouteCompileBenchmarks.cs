using BenchmarkDotNet.Attributes;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;

namespace Proxy.Benchmarks.Routing;

/// <summary>
/// Compiling 10,000 validated routes (see <see cref="RouteTables"/>) into routes and their matcher, as a reload
/// does after validation. Target: under 50 ms.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class RouteCompileBenchmarks
{
    private RouteConfig[] _routes = [];
    private Dictionary<string, Cluster> _clusters = [];

    [GlobalSetup]
    public void Setup()
    {
        _routes = RouteTables.Routes(10_000);
        _clusters = RouteTables.Clusters();
    }

    [Benchmark(Description = "compile 10,000 routes")]
    public int Compile() => RouteCompiler.Compile(_routes, _clusters).Routes.Length;
}
