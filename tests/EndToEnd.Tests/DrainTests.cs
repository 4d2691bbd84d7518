using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// POST /admin/clusters/{name}/destinations/{address}/drain and /undrain over real sockets: a drained destination gets
/// no new request while the others take the load, nothing fails, the drain outlives reloads, and panic never overrides it.
/// </summary>
public sealed class DrainTests
{
    private const string HealthProbes = """
        [clusters.health]
        active = { path = "/healthz", interval = "100ms", timeout = "100ms", healthy_threshold = 1, unhealthy_threshold = 1 }
        """;

    [Fact]
    public async Task Drain_UnderLoadFromEightClients_NoRequestFails_DrainedOriginGetsNoNewRequest_UndrainBringsItBack()
    {
        await using var drained = new TestOrigin(_ => OriginResponse.Text("a") with { Delay = TimeSpan.FromMilliseconds(2) });
        await using var other = new TestOrigin(_ => OriginResponse.Text("b") with { Delay = TimeSpan.FromMilliseconds(2) });
        await using var proxy = TomlProxy.Start("", "", drained.Address, other.Address);
        using var admin = new AdminApi(proxy.Proxy);
        await using var load = new Load(proxy, clients: 8);
        await Wait.Until(() => drained.Requests.Count >= 50 && other.Requests.Count >= 50);

        JsonElement answer = await admin.DrainAsync("backend", drained.Address);
        int atAnswer = drained.Requests.Count;
        // Requests that picked it before the drain still finish there; then nothing more arrives.
        await admin.WaitForClusterAsync("backend", c => Destination(c, drained.Address).GetProperty("requests_in_flight").GetInt32() == 0);
        int settled = drained.Requests.Count;
        int otherBefore = other.Requests.Count;
        await Wait.Until(() => other.Requests.Count >= otherBefore + 300);

        Assert.True(answer.GetProperty("drained").GetBoolean());
        Assert.True(answer.GetProperty("changed").GetBoolean());
        Assert.Equal(1, answer.GetProperty("available_destinations").GetInt32());
        Assert.Equal(settled, drained.Requests.Count);
        Assert.InRange(settled - atAnswer, 0, 8);    // at most one per client, picked before the answer
        JsonElement shown = await admin.DestinationAsync("backend", drained.Address);
        Assert.True(shown.GetProperty("drained").GetBoolean());
        Assert.False(shown.GetProperty("available").GetBoolean());
        Assert.True(shown.GetProperty("health").GetProperty("usable").GetBoolean());   // drained, not unhealthy

        await admin.DrainAsync("backend", drained.Address, drained: false);
        int afterUndrain = drained.Requests.Count;
        await Wait.Until(() => drained.Requests.Count >= afterUndrain + 50);
        string[] failures = await load.StopAsync();

        Assert.Empty(failures);
        Assert.True(load.Completed > 400);
        Assert.False((await admin.DestinationAsync("backend", drained.Address)).GetProperty("drained").GetBoolean());
    }

    [Fact]
    public async Task Drain_UnknownClusterOrDestination_Is404WithAJsonError()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var admin = new AdminApi(proxy);

        var (clusterStatus, clusterError) = await admin.SetDrainedAsync("nope", origin.Address, drained: true);
        var (destinationStatus, destinationError) = await admin.SetDrainedAsync("backend", "10.9.9.9:80", drained: true);
        var (undrainStatus, _) = await admin.SetDrainedAsync("backend", "10.9.9.9:80", drained: false);

        Assert.Equal(HttpStatusCode.NotFound, clusterStatus);
        Assert.Contains("\"nope\"", clusterError.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, destinationStatus);
        string message = destinationError.GetProperty("error").GetString()!;
        Assert.Contains("10.9.9.9:80", message, StringComparison.Ordinal);
        Assert.Contains(origin.Address, message, StringComparison.Ordinal);     // names the ones that exist
        Assert.Equal(HttpStatusCode.NotFound, undrainStatus);
    }

    [Fact]
    public async Task Drain_Twice_IsUnchanged_AndUndrainOfAnUndrainedDestinationToo()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var admin = new AdminApi(proxy);

        Assert.False((await admin.DrainAsync("backend", origin.Address, drained: false)).GetProperty("changed").GetBoolean());
        Assert.True((await admin.DrainAsync("backend", origin.Address)).GetProperty("changed").GetBoolean());
        Assert.False((await admin.DrainAsync("backend", origin.Address)).GetProperty("changed").GetBoolean());
        Assert.True((await admin.DrainAsync("backend", origin.Address, drained: false)).GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task Drain_OfEveryDestination_NewRequestsGet503_EvenWhenHealthIsInPanic()
    {
        await using var origin = new TestOrigin(r => r.Target == "/healthz" ? OriginResponse.Text("sick", 500) : OriginResponse.Text("ok"));
        await using var proxy = TomlProxy.Start("", HealthProbes, origin.Address);
        using HttpClient client = proxy.CreateClient();
        using var admin = new AdminApi(proxy.Proxy);
        await admin.WaitForClusterAsync("backend", c => c.GetProperty("panic").GetBoolean());
        Assert.Equal("ok", await client.GetStringAsync("/work"));     // panic: the failing destination serves anyway

        await admin.DrainAsync("backend", origin.Address);
        int served = origin.Requests.Count(r => r.Target != "/healthz");
        for (int i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/work")).StatusCode);

        Assert.Equal(served, origin.Requests.Count(r => r.Target != "/healthz"));
        JsonElement cluster = await admin.ClusterAsync("backend");
        Assert.False(cluster.GetProperty("panic").GetBoolean());
        Assert.Equal(0, cluster.GetProperty("available_destinations").GetInt32());

        await admin.DrainAsync("backend", origin.Address, drained: false);
        Assert.Equal("ok", await client.GetStringAsync("/work"));
    }

    [Fact]
    public async Task Drain_OfTheOnlyHealthyDestination_PanicsAmongTheOthers()
    {
        await using var healthy = new TestOrigin(_ => OriginResponse.Text("healthy"));
        await using var sick = new TestOrigin(r => r.Target == "/healthz" ? OriginResponse.Text("sick", 500) : OriginResponse.Text("sick"));
        await using var proxy = TomlProxy.Start("", HealthProbes, healthy.Address, sick.Address);
        using HttpClient client = proxy.CreateClient();
        using var admin = new AdminApi(proxy.Proxy);
        await admin.WaitForClusterAsync("backend", c =>
            Destination(c, sick.Address).GetProperty("health").GetProperty("active").GetString() == "unhealthy" &&
            Destination(c, healthy.Address).GetProperty("health").GetProperty("active").GetString() == "healthy");
        for (int i = 0; i < 4; i++) Assert.Equal("healthy", await client.GetStringAsync("/work"));

        await admin.DrainAsync("backend", healthy.Address);

        // As if the drained destination were not configured: nothing left is healthy, so panic sends to what is left.
        for (int i = 0; i < 4; i++) Assert.Equal("sick", await client.GetStringAsync("/work"));
        JsonElement cluster = await admin.ClusterAsync("backend");
        Assert.True(cluster.GetProperty("panic").GetBoolean());
        Assert.Equal(1, cluster.GetProperty("available_destinations").GetInt32());
    }

    [Fact]
    public async Task Drain_WithTheOthersBreakerOpen_PanicStillSendsToIt_AsHealthsOwnPanicWould()
    {
        await using var drained = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var failing = new TestOrigin(_ => OriginResponse.Text("bad", 503));
        await using var proxy = TomlProxy.Start("", """
            [clusters.circuit_breaker]
            failure_ratio = 0.5
            minimum_requests = 4
            window = "10s"
            open_for = "1m"

            [clusters.retry]
            attempts = 0
            """, drained.Address, failing.Address);
        using HttpClient client = proxy.CreateClient();
        using var admin = new AdminApi(proxy.Proxy);
        await admin.DrainAsync("backend", drained.Address);
        for (int i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/work")).StatusCode);
        await admin.WaitForClusterAsync("backend", c =>
            Destination(c, failing.Address).GetProperty("health").GetProperty("circuit_breaker").GetString() == "open");
        int reached = failing.Requests.Count;

        // Health itself is not panicking (the drained destination is fine), but among the undrained nothing is usable.
        for (int i = 0; i < 4; i++) Assert.Equal("bad", await (await client.GetAsync("/work")).Content.ReadAsStringAsync());

        Assert.Equal(reached + 4, failing.Requests.Count);
        Assert.Equal(4, reached);
        Assert.Empty(drained.Requests);
        Assert.True((await admin.ClusterAsync("backend")).GetProperty("panic").GetBoolean());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Drain_SurvivesAReload(bool changeBalancer)
    {
        await using var drained = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var other = new TestOrigin(_ => OriginResponse.Text("b"));
        await using var proxy = TomlProxy.Start("balancer = \"round_robin\"", "", drained.Address, other.Address);
        using HttpClient client = proxy.CreateClient();
        using var admin = new AdminApi(proxy.Proxy);
        await admin.DrainAsync("backend", drained.Address);
        long before = (await admin.GetJsonAsync("/admin/clusters")).GetProperty("snapshot_version").GetInt64();

        // A new route keeps the cluster's runtime; a new balancer replaces it, and the drain must follow.
        string toml = File.ReadAllText(proxy.Path);
        toml = changeBalancer
            ? toml.Replace("balancer = \"round_robin\"", "balancer = \"least_conn\"", StringComparison.Ordinal)
            : toml + "\n[[routes]]\nname = \"extra\"\npath_prefix = \"/extra/\"\ncluster = \"backend\"\n";
        await ReloadAsync(admin, proxy.Path, toml);

        JsonElement document = await admin.GetJsonAsync("/admin/clusters");
        Assert.True(document.GetProperty("snapshot_version").GetInt64() > before);
        JsonElement cluster = await admin.ClusterAsync("backend");
        Assert.Equal(changeBalancer ? "least_conn" : "round_robin", cluster.GetProperty("balancer").GetString());
        Assert.True(Destination(cluster, drained.Address).GetProperty("drained").GetBoolean());
        Assert.Equal(1, cluster.GetProperty("available_destinations").GetInt32());
        int reached = drained.Requests.Count;
        for (int i = 0; i < 10; i++) Assert.Equal("b", await client.GetStringAsync("/extra/x"));
        Assert.Equal(reached, drained.Requests.Count);
    }

    [Fact]
    public async Task Drain_OfADestinationRemovedByReload_IsForgotten_WhenItComesBack()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        await using var proxy = TomlProxy.Start("", "", a.Address, b.Address);
        using var admin = new AdminApi(proxy.Proxy);
        string original = File.ReadAllText(proxy.Path);
        await admin.DrainAsync("backend", a.Address);

        await ReloadAsync(admin, proxy.Path, original.Replace($"{{ address = \"{a.Address}\" }}, ", "", StringComparison.Ordinal));
        Assert.Single((await admin.ClusterAsync("backend")).GetProperty("destinations").EnumerateArray());
        await ReloadAsync(admin, proxy.Path, original);

        JsonElement back = await admin.DestinationAsync("backend", a.Address);
        Assert.False(back.GetProperty("drained").GetBoolean());
        Assert.True(back.GetProperty("available").GetBoolean());
    }

    /// <summary>Rewrites the file and POSTs /admin/reload (the file watcher may have applied it first: then "unchanged").</summary>
    private static async Task ReloadAsync(AdminApi admin, string path, string toml)
    {
        File.WriteAllText(path, toml);
        using HttpResponseMessage response = await admin.Client.PostAsync("/admin/reload", null);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        string? result = JsonDocument.Parse(body).RootElement.GetProperty("reload").GetProperty("result").GetString();
        Assert.Contains(result, new[] { "applied", "unchanged" });
    }

    private static JsonElement Destination(JsonElement cluster, string address) =>
        cluster.GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("address").GetString() == address);

    /// <summary>Clients sending GET requests through the proxy back to back until stopped; every failure is kept.</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly Task[] _clients;
        private int _completed;

        public Load(TomlProxy proxy, int clients)
        {
            _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => RunAsync(proxy)))];
        }

        public int Completed => Volatile.Read(ref _completed);

        public async Task<string[]> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_clients);
            return [.. _failures];
        }

        private async Task RunAsync(TomlProxy proxy)
        {
            using HttpClient client = proxy.CreateClient();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using HttpResponseMessage response = await client.GetAsync("/work");
                    await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK) _failures.Enqueue($"status {(int)response.StatusCode}");
                    Interlocked.Increment(ref _completed);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    _failures.Enqueue(ex.GetType().Name + ": " + ex.Message);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested) await StopAsync();
            _stop.Dispose();
        }
    }
}
