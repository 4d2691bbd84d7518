using System.Net;
using System.Net.Sockets;
using Proxy.Engine.Routing;
using Proxy.Engine.Upstreams;

namespace Proxy.Engine.Tests.Metrics;

/// <summary>Upstream pool figures, read from a real pool over loopback at scrape time.</summary>
public sealed class PoolMetricsTests : IDisposable
{
    private readonly TcpListener _origin = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly MetricsTestBed _bed;
    private readonly string _address;

    public PoolMetricsTests()
    {
        _origin.Start();
        _address = $"127.0.0.1:{((IPEndPoint)_origin.LocalEndpoint).Port}";
        _bed = new MetricsTestBed();
        _bed.Reload(MetricsTestBed.TwoRoutes with
        {
            Clusters = [MetricsTestBed.Cluster("api", _address), MetricsTestBed.TwoRoutes.Clusters[1]],
        });
    }

    [Fact]
    public async Task Scrape_AfterOpenReuseAndClose_ReportsPoolFigures()
    {
        UpstreamPool pool = _bed.Snapshot.Clusters["api"].Destinations[0].Pool;
        Accept();
        var (_, first) = await pool.AcquireAsync();
        pool.Release(first!, reusable: true);                     // parked idle
        var (_, again) = await pool.AcquireAsync();               // reused
        Dictionary<string, double> busy = _bed.Scrape();
        pool.Release(again!, reusable: false);                    // closed

        Dictionary<string, double> samples = _bed.Scrape();

        string labels = $"cluster=\"api\",destination=\"{_address}\"";
        Assert.Equal(1, busy[$"proxy_upstream_connections_active{{{labels}}}"]);
        Assert.Equal(0, busy[$"proxy_upstream_connections_idle{{{labels}}}"]);
        Assert.Equal(1, samples[$"proxy_upstream_connections_opened_total{{{labels}}}"]);
        Assert.Equal(1, samples[$"proxy_upstream_connections_reused_total{{{labels}}}"]);
        Assert.Equal(1, samples[$"proxy_upstream_connections_closed_total{{{labels},reason=\"unspecified\"}}"]);
        Assert.Equal(0, samples[$"proxy_upstream_connections_active{{{labels}}}"]);
        Assert.Equal(0, samples[$"proxy_upstream_connections_idle{{{labels}}}"]);
    }

    [Fact]
    public async Task Scrape_IdleConnection_CountsAsIdle()
    {
        UpstreamPool pool = _bed.Snapshot.Clusters["api"].Destinations[0].Pool;
        Accept();
        var (_, connection) = await pool.AcquireAsync();
        pool.Release(connection!, reusable: true);

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(1, samples[$"proxy_upstream_connections_idle{{cluster=\"api\",destination=\"{_address}\"}}"]);
    }

    [Fact]
    public void Scrape_DestinationAddedWithoutSync_IsAttachedFromTheCurrentSnapshot()
    {
        RoutingSnapshot next = _bed.Compiler.Compile(MetricsTestBed.TwoRoutes);
        _bed.Routing.Publish(next);                               // published without Sync
        next.Clusters["web"].Destinations[0].State.OnRequestStart();

        Dictionary<string, double> samples = _bed.Scrape();

        Assert.Equal(1, samples[$"proxy_upstream_requests_total{{cluster=\"web\",destination=\"{MetricsTestBed.Web1}\"}}"]);
        Assert.Equal(0, samples[$"proxy_upstream_requests_total{{cluster=\"api\",destination=\"{MetricsTestBed.Api1}\"}}"]);
    }

    private void Accept() => _ = Task.Run(async () =>
    {
        Socket socket = await _origin.AcceptSocketAsync();
        lock (_accepted) _accepted.Add(socket);
    });

    public void Dispose()
    {
        _bed.Dispose();
        _origin.Dispose();
        lock (_accepted) foreach (Socket socket in _accepted) socket.Dispose();
    }
}
