using System.Globalization;
using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;

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
