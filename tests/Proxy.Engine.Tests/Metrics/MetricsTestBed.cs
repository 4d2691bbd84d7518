using System.Diagnostics;
using System.Globalization;
using Proxy.Engine.Config;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Engine.Timeouts;

namespace Proxy.Engine.Tests.Metrics;

/// <summary>
/// Metrics over a compiled routing snapshot, as the server has them: routes "api" (cluster "api", two destinations) and
/// "web" (cluster "web", one destination), plus helpers to build request records and read a scrape back.
/// </summary>
internal sealed class MetricsTestBed : IDisposable
{
    public const string Api1 = "127.0.0.1:9001";
    public const string Api2 = "127.0.0.1:9002";
    public const string Web1 = "127.0.0.1:9003";

    private readonly Heartbeat _heartbeat = new(TimeSpan.FromHours(1));

    public MetricsTestBed()
    {
        Compiler = new SnapshotCompiler(_heartbeat);
        Snapshot = Compiler.Compile(TwoRoutes);
        Routing.Publish(Snapshot);
        Metrics = new ProxyMetrics(Stats, Routing);
        Metrics.Sync(Snapshot);
        Observers = new RequestObservers(Metrics);
    }

    public static ProxyConfig TwoRoutes { get; } = new()
    {
        Routes =
        [
            new RouteConfig { Name = "api", Cluster = "api", PathPrefix = "/api/" },
            new RouteConfig { Name = "web", Cluster = "web" },
        ],
        Clusters = [Cluster("api", Api1, Api2), Cluster("web", Web1)],
    };

    public SnapshotCompiler Compiler { get; }
    public RoutingSnapshot Snapshot { get; private set; }
    public RoutingTable Routing { get; } = new();
    public ProxyStats Stats { get; } = new();
    public ProxyMetrics Metrics { get; }
    public RequestObservers Observers { get; }

    public RouteMetrics Api => Metrics.Route("api", "api");
    public RouteMetrics Web => Metrics.Route("web", "web");

    /// <summary>Compiles and publishes <paramref name="config"/> and syncs the metrics to it, as a reload would.</summary>
    public void Reload(ProxyConfig config)
    {
        Snapshot = Compiler.Compile(config);
        Metrics.Sync(Snapshot);
        Routing.Publish(Snapshot);
    }

    public static ClusterConfig Cluster(string name, params string[] addresses) => new()
    {
        Name = name,
        Destinations = addresses.Select(address => new DestinationConfig
        {
            Address = address,
            Host = address[..address.LastIndexOf(':')],
            Port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
        }).ToArray(),
    };

    /// <summary>Reports one request through the observers.</summary>
    public void Complete(RouteMetrics? route, int status, double seconds = 0.002, double upstreamSeconds = 0.001,
        DestinationMetrics? destination = null, RequestError error = RequestError.None, int retries = 0,
        long bytesReceived = 100, long bytesSent = 1000, string path = "/api/x", string host = "example.com")
    {
        RequestRecord record = Record(route, status, seconds, upstreamSeconds, destination, error, retries, bytesReceived, bytesSent);
        record.Path = System.Text.Encoding.ASCII.GetBytes(path);
        record.Host = System.Text.Encoding.ASCII.GetBytes(host);
        Observers.OnCompleted(in record);
    }

    public static RequestRecord Record(RouteMetrics? route, int status, double seconds = 0.002, double upstreamSeconds = 0.001,
        DestinationMetrics? destination = null, RequestError error = RequestError.None, int retries = 0,
        long bytesReceived = 100, long bytesSent = 1000)
    {
        const long start = 1_000_000;
        return new RequestRecord
        {
            Route = route,
            Destination = destination,
            Status = status,
            Error = error,
            Retries = retries,
            BytesReceived = bytesReceived,
            BytesSent = bytesSent,
            StartTimestamp = start,
            UpstreamStartTimestamp = upstreamSeconds > 0 ? start + Ticks(0.0001) : 0,
            UpstreamHeadersTimestamp = upstreamSeconds > 0 ? start + Ticks(0.0001) + Ticks(upstreamSeconds) : 0,
            EndTimestamp = start + Ticks(seconds),
            Method = "GET"u8,
            Path = "/api/x"u8,
        };
    }

    public static long Ticks(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);

    /// <summary>Scrapes the registry: every sample line as "name{labels}" -> value.</summary>
    public Dictionary<string, double> Scrape() => Parse(ScrapeText());

    public string ScrapeText()
    {
        using var output = new MemoryStream();
        Metrics.ExportAsync(output).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.LastIndexOf(' ');
            samples.Add(line[..space], double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }
        return samples;
    }

    /// <summary>The label sets of <paramref name="family"/>'s samples, e.g. "{route=\"api\",cluster=\"api\",status_class=\"2xx\"}".</summary>
    public static string[] LabelSets(Dictionary<string, double> samples, string family) =>
        samples.Keys.Where(key => key.StartsWith(family + "{", StringComparison.Ordinal) || key == family)
            .Select(key => key[family.Length..]).Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        Compiler.RetireAll();
        _heartbeat.Dispose();
    }
}
