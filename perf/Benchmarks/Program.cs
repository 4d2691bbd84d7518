using System.Diagnostics;
using BenchmarkDotNet.Running;
using Proxy.Benchmarks.Routing;
using Proxy.Engine.Routing;

if (args.Length > 0 && args[0] == "time")
{
    var routes = RouteTables.Routes(10_000);
    var clusters = RouteTables.Clusters();
    for (int round = 0; round < 8; round++)
    {
        var sw = Stopwatch.StartNew();
        var methods = new MethodTable(routes);
        var compiled = new Route[routes.Length];
        for (int i = 0; i < routes.Length; i++) compiled[i] = new Route(routes[i], i, clusters["c"], RouteActions.None, methods.MaskOf(routes[i].Methods));
        double t1 = sw.Elapsed.TotalMilliseconds; sw.Restart();
        MatchOrder.Entries(compiled);
        double t2 = sw.Elapsed.TotalMilliseconds; sw.Restart();
        _ = new RouteMatcher(compiled, methods).Methods;
        double t3 = sw.Elapsed.TotalMilliseconds; sw.Restart();
        RouteCompiler.Compile(routes, clusters);
        double t4 = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"routes {t1:F1} sort {t2:F1} matcher(incl sort) {t3:F1} full {t4:F1} ms");
    }
    return;
}
if (args.Length > 0 && args[0] == "time-config")
{
    string text = Proxy.Benchmarks.Config.ConfigReloadBenchmarks.Generate(10_000, clusters: 100);
    for (int round = 0; round < 5; round++)
    {
        var sw = Stopwatch.StartNew();
        var syntax = Tomlyn.Parsing.SyntaxParser.Parse(text, "bench.toml", validate: true);
        double parse = sw.Elapsed.TotalMilliseconds; sw.Restart();
        _ = Tomlyn.Parsing.SyntaxParser.Parse(text, "bench.toml", validate: false);
        double parseOnly = sw.Elapsed.TotalMilliseconds; sw.Restart();
        Console.Write($"syntax only {parseOnly:F1} ms; ");
        var loaded = Proxy.Engine.Config.ConfigLoader.LoadText(text, "bench.toml");
        double load = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"tomlyn parse {parse:F1} ms, full load {load:F1} ms, ok {loaded.Succeeded} {syntax.HasErrors}");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
