using System.Globalization;
using Proxy.Engine.Metrics;

namespace Proxy.Engine.Tests.Metrics;

/// <summary>Labels come from configuration names and enums only (traefik/traefik#7278): traffic cannot add series.</summary>
public sealed class CardinalityTests : IDisposable
{
    private readonly MetricsTestBed _bed = new();

    [Fact]
    public void Scrape_TenThousandDistinctPathsHostsAndClients_SeriesCountDoesNotGrow()
    {
        DestinationMetrics destination = _bed.Metrics.Destination("api", MetricsTestBed.Api1);
        // Every status class and error once, so that suppressed series that traffic may publish are all there.
        foreach (RequestError error in RequestErrors.All)
        {
            _bed.Complete(_bed.Api, 502, destination: destination, error: error, retries: 1);
            _bed.Complete(null, 404, error: error);
        }
        for (int status = 100; status < 600; status += 100) _bed.Complete(_bed.Web, status);
        int before = _bed.Scrape().Count;

        for (int i = 0; i < 10_000; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            _bed.Complete(i % 3 == 0 ? null : _bed.Api, 200 + (i % 4) * 100, destination: destination,
                error: RequestErrors.All[i % RequestErrors.Count], path: "/api/items/" + n + "?q=" + n, host: "h" + n + ".example.com");
        }
        int after = _bed.Scrape().Count;

        Assert.Equal(before, after);
        Assert.DoesNotContain("items", _bed.ScrapeText(), StringComparison.Ordinal);
    }

    public void Dispose() => _bed.Dispose();
}
