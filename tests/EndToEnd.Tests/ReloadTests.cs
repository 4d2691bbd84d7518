using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>Configuration reloads: applied whole or not at all, never dropping a request.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task AdminReload_AppliesNewRoutes_AndReportsTheNewVersion()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a, ["b"] = b };
        config.Write(config.Render(clusters, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        Assert.Equal("a", await client.GetStringAsync("/"));
        long before = await RunningVersionAsync(admin);

        config.Write(config.Render(clusters, [("/", "b")]));
        HttpResponseMessage reload = await admin.PostAsync("/admin/reload", null);

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await reload.Content.ReadAsStringAsync());
        Assert.Equal("applied", answer.RootElement.GetProperty("reload").GetProperty("result").GetString());
        Assert.Equal("b", await client.GetStringAsync("/"));
        Assert.True(await RunningVersionAsync(admin) > before);
    }

    [Fact]
    public async Task AdminReload_LargeConfig_IsApplied_AndLeavesTheGcAsItWas()
    {
        // 5,000 routes, over 256 KB of TOML: large enough for the reload to run in a no-GC region (ReloadGcRegion).
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a, ["b"] = b };
        string Render(string cluster) => config.Render(clusters, Enumerable.Range(0, 5_000).Select(i => ($"/r{i}/", cluster)).Append(("/", cluster)));
        config.Write(Render("a"));
        Assert.True(new FileInfo(config.Path).Length >= Proxy.Engine.Reload.ReloadGcRegion.MinimumTextBytes);
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        Assert.Equal("a", await client.GetStringAsync("/r4999/x"));

        config.Write(Render("b"));
        HttpResponseMessage reload = await admin.PostAsync("/admin/reload", null);

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.Equal("b", await client.GetStringAsync("/r4999/x"));
        Assert.Equal("b", await client.GetStringAsync("/r0/x"));
        // The write also woke the file watcher, whose own reload (finding the file unchanged) may still be running.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.NotEqual(System.Runtime.GCLatencyMode.NoGCRegion, System.Runtime.GCSettings.LatencyMode);
    }

    [Fact]
    public async Task AdminReload_InvalidFile_KeepsTheRunningConfig_AndShowsEveryError()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        using var config = new ReloadableConfig();
        config.Write(config.Render(new Dictionary<string, TestOrigin> { ["a"] = a }, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        long before = await RunningVersionAsync(admin);

        config.Write(config.Render(new Dictionary<string, TestOrigin> { ["a"] = a }, [("/", "missing")], extra: "[limits]\nmax_headers = \"lots\""));
        HttpResponseMessage reload = await admin.PostAsync("/admin/reload", null);

        Assert.Equal((HttpStatusCode)422, reload.StatusCode);
        using JsonDocument status = JsonDocument.Parse(await admin.GetStringAsync("/admin/config"));
        JsonElement last = status.RootElement.GetProperty("last_reload");
        Assert.Equal("refused", last.GetProperty("result").GetString());
        string[] errors = [.. last.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e => Assert.StartsWith(config.Path + ":", e, StringComparison.Ordinal));
        Assert.Equal(1, status.RootElement.GetProperty("reloads_failed").GetInt64());
        Assert.Equal(before, status.RootElement.GetProperty("running").GetProperty("version").GetInt64());
        Assert.Equal("a", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task AdminReload_SameFile_IsUnchanged()
    {
        await using var a = new TestOrigin();
        using var config = new ReloadableConfig();
        config.Write(config.Render(new Dictionary<string, TestOrigin> { ["a"] = a }, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };

        using JsonDocument answer = JsonDocument.Parse(await (await admin.PostAsync("/admin/reload", null)).Content.ReadAsStringAsync());

        Assert.Equal("unchanged", answer.RootElement.GetProperty("reload").GetProperty("result").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FileChange_IsReloadedWithoutBeingAsked(bool atomicRename)
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a, ["b"] = b };
        config.Write(config.Render(clusters, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();

        string next = config.Render(clusters, [("/", "b")]);
        if (atomicRename) config.WriteAtomically(next);
        else config.Write(next);

        Assert.True(await EventuallyAsync(async () => await client.GetStringAsync("/") == "b"), "the change was not picked up");
    }

    [Fact]
    public async Task FileChange_NewFileInIncludedDirectory_IsPickedUp()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        Directory.CreateDirectory(Path.Combine(config.Folder, "conf.d"));
        config.Write("include = [\"conf.d/*.toml\"]\n" + config.Render(new Dictionary<string, TestOrigin> { ["a"] = a }, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();

        File.WriteAllText(Path.Combine(config.Folder, "conf.d", "b.toml"), $"""
            [[routes]]
            name = "b"
            path_prefix = "/b/"
            cluster = "b"

            [[clusters]]
            name = "b"
            destinations = [{"{"} address = "{b.Address}" {"}"}]
            """);

        Assert.True(await EventuallyAsync(async () => await client.GetStringAsync("/b/x") == "b"), "the new file was not picked up");
        Assert.Equal("a", await client.GetStringAsync("/other"));
    }

    [Fact]
    public async Task Reload_KeepsCountersAndPoolsOfDestinationsThatStay()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a, ["b"] = b };
        config.Write(config.Render(clusters, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        for (int i = 0; i < 5; i++) await client.GetStringAsync("/");

        config.Write(config.Render(clusters, [("/b/", "b"), ("/", "a")]));
        await admin.PostAsync("/admin/reload", null);
        for (int i = 0; i < 5; i++) await client.GetStringAsync("/");

        using JsonDocument stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/stats"));
        JsonElement destination = stats.RootElement.GetProperty("clusters").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "a").GetProperty("destinations")[0];
        Assert.Equal(10, destination.GetProperty("requests_total").GetInt64());
        Assert.Equal(1, a.Connections);        // the same pooled upstream connection before and after
    }

    [Fact]
    public async Task Reload_MovesTheListener_NewAddressServes_OldOneStopsAfterItsRequest()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a };
        config.Write(config.Render(clusters, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        using var kept = new RawHttp(proxy.EndPoint);
        await kept.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("a", (await kept.ReadResponseAsync()).BodyText);

        int newPort = TestConfigs.UnusedPort();
        config.Write(config.Render(clusters, [("/", "a")], listenerPort: newPort, listenerName: "moved"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/reload", null)).StatusCode);

        using var fresh = new RawHttp(new IPEndPoint(IPAddress.Loopback, newPort));
        await fresh.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("a", (await fresh.ReadResponseAsync()).BodyText);
        Assert.True(await kept.IsClosedByServerAsync(TimeSpan.FromSeconds(5)), "the idle connection of the removed listener stayed open");
        Assert.Throws<SocketException>(() => new RawHttp(proxy.EndPoint));
    }

    [Fact]
    public async Task Reload_NewListenerCannotOpen_RefusesTheWholeReload()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a, ["b"] = b };
        config.Write(config.Render(clusters, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        int busy = ((IPEndPoint)occupier.LocalEndpoint).Port;

        config.Write(config.Render(clusters, [("/", "b")]) + $"\n[[listeners]]\nname = \"second\"\nlisten = \"127.0.0.1:{busy}\"\n");
        HttpResponseMessage reload = await admin.PostAsync("/admin/reload", null);

        Assert.Equal((HttpStatusCode)422, reload.StatusCode);
        Assert.Contains($"127.0.0.1:{busy}", await reload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("a", await client.GetStringAsync("/"));      // the routes did not change either
    }

    [Fact]
    public async Task Reload_NewLimits_ApplyToNewRequests()
    {
        await using var a = new TestOrigin(r => OriginResponse.Text($"{r.BodyLength}"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a };
        config.Write(config.Render(clusters, [("/", "a")]));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        Assert.Equal("2000", await (await client.PostAsync("/", new ByteArrayContent(new byte[2000]))).Content.ReadAsStringAsync());

        config.Write(config.Render(clusters, [("/", "a")], extra: "[limits]\nmax_request_body = 1000"));
        HttpResponseMessage reload = await admin.PostAsync("/admin/reload", null);
        Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/", new ByteArrayContent(new byte[2000]))).StatusCode);
    }

    private static async Task<long> RunningVersionAsync(HttpClient admin)
    {
        using JsonDocument status = JsonDocument.Parse(await admin.GetStringAsync("/admin/config"));
        return status.RootElement.GetProperty("running").GetProperty("version").GetInt64();
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (DateTime until = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < until; await Task.Delay(50))
        {
            if (await condition()) return true;
        }
        return false;
    }
}
