using System.Globalization;
using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Config;

namespace Proxy.EndToEnd.Tests;

/// <summary>GET /metrics on a real admin listener over loopback, after real traffic through the proxy.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task Metrics_AfterTraffic_ServesPrometheusTextWithTheCounts()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        for (int i = 0; i < 10; i++) await client.GetStringAsync("/");

        using HttpResponseMessage response = await admin.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Dictionary<string, double> samples = Parse(text);
        string destination = $"cluster=\"backend\",destination=\"{origin.Address}\"";
        Assert.Equal(10, samples[$"proxy_upstream_requests_total{{{destination}}}"]);
        Assert.Equal(0, samples[$"proxy_upstream_requests_active{{{destination}}}"]);
        Assert.True(samples[$"proxy_upstream_connections_opened_total{{{destination}}}"] >= 1);
        // Each request either opened a connection or reused one.
        Assert.Equal(10, samples[$"proxy_upstream_connections_reused_total{{{destination}}}"]
                         + samples[$"proxy_upstream_connections_opened_total{{{destination}}}"]);
        Assert.True(samples["proxy_connections_accepted_total"] >= 1);
        Assert.Contains("proxy_requests_total{route=\"all\",cluster=\"backend\",status_class=\"2xx\"}", samples.Keys);
        Assert.Contains("# TYPE proxy_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.True(samples["proxy_allocated_bytes_total"] > 0);
    }

    [Fact]
    public async Task Metrics_WithAdminToken_NeedsNoToken_WhileAdminPathsDo()
    {
        await using var origin = new TestOrigin();
        var config = TestConfigs.OneCluster(origin);
        config = config with { Admin = config.Admin with { Token = "s3cret" } };
        await using var proxy = InProcessProxy.Start(config);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/admin/stats")).StatusCode);
    }

    [Fact]
    public async Task Metrics_Post_Is405()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        using var body = new StringContent("");

        using HttpResponseMessage response = await admin.PostAsync("/metrics", body);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_ScrapedTwice_CountersDoNotMoveWithoutTraffic()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        await client.GetStringAsync("/");

        Dictionary<string, double> first = Parse(await admin.GetStringAsync("/metrics"));
        Dictionary<string, double> second = Parse(await admin.GetStringAsync("/metrics"));

        string requests = $"proxy_upstream_requests_total{{cluster=\"backend\",destination=\"{origin.Address}\"}}";
        Assert.Equal(1, first[requests]);
        Assert.Equal(1, second[requests]);
    }

    [Fact]
    public async Task Metrics_TenThousandDistinctPathsAndHosts_SeriesCountDoesNotGrow()
    {
        await using var origin = new TestOrigin();
        ProxyConfig config = TestConfigs.OneCluster(origin) with
        {
            // Requests off this route get 404 with no route: both kinds must stay out of the labels.
            Routes = [new RouteConfig { Name = "api", Hosts = ["*.example.com"], PathPrefix = "/api/", Cluster = "backend" }],
        };
        await using var proxy = InProcessProxy.Start(config);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };

        await SendDistinctAsync(proxy, 0, 10);
        int early = SeriesCount(await admin.GetStringAsync("/metrics"));
        await SendDistinctAsync(proxy, 10, 10_010);
        string text = await admin.GetStringAsync("/metrics");

        Assert.Equal(early, SeriesCount(text));
        Assert.DoesNotContain("items", text, StringComparison.Ordinal);
        Assert.DoesNotContain("example.", text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 10_010).Count(i => i % 3 != 0 && i % 5 != 0), origin.Requests.Count);
    }

    /// <summary>
    /// Requests <paramref name="from"/> to <paramref name="to"/> (exclusive) from 8 clients, each with its own path, query
    /// and host; one in three misses the route by path and one in five by host (404), the rest reach the origin (200).
    /// </summary>
    private static async Task SendDistinctAsync(InProcessProxy proxy, int from, int to)
    {
        int next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using HttpClient client = proxy.CreateClient();
            for (int i = Interlocked.Increment(ref next); i < to; i = Interlocked.Increment(ref next))
            {
                bool routed = i % 3 != 0 && i % 5 != 0;
                string path = i % 3 == 0 ? $"/other/{i}" : $"/api/items/{i}?q={i}";
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Host = i % 5 == 0 ? $"h{i}.example.net" : $"h{i}.example.com";
                using HttpResponseMessage response = await client.SendAsync(request);
                Assert.Equal(routed ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
            }
        })));
    }

    private static int SeriesCount(string text) => text.Split('\n').Count(line => line.Length > 0 && line[0] != '#');

    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }
}
