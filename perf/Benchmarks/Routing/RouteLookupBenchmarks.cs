using BenchmarkDotNet.Attributes;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;

namespace Proxy.Benchmarks.Routing;

/// <summary>
/// One route lookup from a parsed request head, in tables of 10, 1,000 and 10,000 routes (see
/// <see cref="RouteTables"/>): a hit on an exact host (the first route), a hit on the last route of the file (an
/// any-host exact path), a wildcard host, a regex route, a path that needs normalising, a method refused (405), and
/// a miss that finds nothing. Target: under 100 ns median and 0 B at 10,000 routes.
/// Min and Median are shown because shared machines are noisy; Min is the closest to an idle core.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class RouteLookupBenchmarks
{
    private RoutingSnapshot _snapshot = RoutingSnapshot.Empty;
    private RequestHead _early = null!, _late = null!, _wildcard = null!, _regex = null!, _normalise = null!, _refused = null!, _miss = null!;

    [Params(10, 1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var routes = RouteTables.Routes(Routes);
        _snapshot = RouteTables.Snapshot(routes);
        int lastExact = Array.FindLastIndex(routes, route => route.Path is not null);
        int lastWildcard = Array.FindLastIndex(routes, route => route.Hosts is [['*', ..]]);
        _early = RouteTables.Request("GET", "svc1.example.com", "/api/v1/users/42?page=2");
        _late = RouteTables.Request("GET", "www.example.com", routes[lastExact].Path!);
        _wildcard = RouteTables.Request("GET", "shop" + routes[lastWildcard].Hosts[0][1..] + ":8443", routes[lastWildcard].PathPrefix + "cart");
        _regex = RouteTables.Request("GET", "www.example.com", "/re1/12345/edit");
        _normalise = RouteTables.Request("GET", "SVC1.Example.com", "/api/x/../v1/%75sers//42");
        _refused = RouteTables.Request("DELETE", "svc1.example.com", "/api/v1/users");
        _miss = RouteTables.Request("GET", "unknown.example.org", "/nothing/here");
        Expect(_early, RouteMatchStatus.Found);
        Expect(_late, RouteMatchStatus.Found);
        Expect(_wildcard, RouteMatchStatus.Found);
        Expect(_regex, RouteMatchStatus.Found);
        Expect(_normalise, RouteMatchStatus.Found);
        Expect(_refused, RouteMatchStatus.MethodNotAllowed);
        Expect(_miss, RouteMatchStatus.NotFound);
    }

    [Benchmark(Baseline = true, Description = "exact host, first route")]
    public int Early() => (int)_snapshot.Match(_early).Status;

    [Benchmark(Description = "any host, last route")]
    public int Late() => (int)_snapshot.Match(_late).Status;

    [Benchmark(Description = "wildcard host")]
    public int Wildcard() => (int)_snapshot.Match(_wildcard).Status;

    [Benchmark(Description = "regex route")]
    public int Regex() => (int)_snapshot.Match(_regex).Status;

    [Benchmark(Description = "path to normalise")]
    public int Normalise() => (int)_snapshot.Match(_normalise).Status;

    [Benchmark(Description = "405, method refused")]
    public int Refused() => (int)_snapshot.Match(_refused).Status;

    [Benchmark(Description = "miss (404)")]
    public int Miss() => (int)_snapshot.Match(_miss).Status;

    private void Expect(RequestHead request, RouteMatchStatus status)
    {
        if (_snapshot.Match(request).Status != status) throw new InvalidOperationException($"{request.MethodName.Length} {status}: the table does not have the shape the benchmark assumes.");
    }
}
