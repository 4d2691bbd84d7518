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
    // Where a large reload's time goes, stage by stage (the BenchmarkDotNet suite ConfigReloadBenchmarks measures the whole).
    string text = Proxy.Benchmarks.Config.ConfigReloadBenchmarks.Generate(10_000, clusters: 100);
    int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8;
    for (int round = 0; round < rounds; round++)
    {
        Console.WriteLine(Proxy.Engine.Config.ConfigLoadStages.Time(text, "bench.toml"));
    }
    return;
}
if (args.Length > 0 && args[0] == "loop-config")
{
    // The benchmark's whole reload (10,000 routes) in a plain loop, for a profiler to attach to: `loop-config [rounds]`.
    var reload = new Proxy.Benchmarks.Config.ConfigReloadBenchmarks { Routes = 10_000 };
    reload.Setup();
    int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
    TimeSpan pausedBefore = GC.GetTotalPauseDuration();
    int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var sw = Stopwatch.StartNew();
    for (int round = 0; round < rounds; round++) reload.ParseValidateCompilePublish();
    double perRound = sw.Elapsed.TotalMilliseconds / rounds;
    double paused = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds / rounds;
    double megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6 / rounds;
    string collections = string.Join("/", Enumerable.Range(0, 3).Select(g => ((GC.CollectionCount(g) - collectionsBefore[g]) / (double)rounds).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
    Console.WriteLine($"{perRound:F1} ms per reload over {rounds} rounds, of which GC pauses {paused:F1} ms; {megabytes:F1} MB allocated; gen0/1/2 collections per reload {collections}");
    reload.Cleanup();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
