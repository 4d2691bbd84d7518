using System.Net;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>GET /admin/routes and /admin/clusters on a real admin listener, after known traffic; tokens and methods.</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task Routes_ListsEveryRouteByPriority_WithItsMatchKeysAndCluster()
    {
        await using var origin = new TestOrigin();
        await using var proxy = TomlProxy.Start("", $$"""
            [[routes]]
            name = "api-v1"
            hosts = ["api.example.com", "*.example.org"]
            path_prefix = "/v1/"
            priority = 10
            cluster = "api"

            [[clusters]]
            name = "api"
            destinations = [{ address = "{{origin.Address}}" }]
            """, origin.Address);
        using var admin = new AdminApi(proxy.Proxy);

        JsonElement document = await admin.GetJsonAsync("/admin/routes");

        Assert.True(document.GetProperty("snapshot_version").GetInt64() >= 1);
        JsonElement[] routes = [.. document.GetProperty("routes").EnumerateArray()];
        Assert.Equal(2, routes.Length);
        Assert.Equal("api-v1", routes[0].GetProperty("name").GetString());      // priority 10 matches first
        Assert.Equal(["api.example.com", "*.example.org"], Strings(routes[0].GetProperty("hosts")));
        Assert.Equal("/v1/", routes[0].GetProperty("path_prefix").GetString());
        Assert.Equal(10, routes[0].GetProperty("priority").GetInt32());
        Assert.Equal("api", routes[0].GetProperty("cluster").GetString());
        Assert.Equal("all", routes[1].GetProperty("name").GetString());
        Assert.Empty(Strings(routes[1].GetProperty("hosts")));
        Assert.Equal(JsonValueKind.Null, routes[1].GetProperty("path_prefix").ValueKind);
        Assert.Equal(0, routes[1].GetProperty("priority").GetInt32());
        Assert.Equal("backend", routes[1].GetProperty("cluster").GetString());
    }

    [Fact]
    public async Task Routes_SplitRedirectAndConditions_AreDescribed_WithoutConditionValues()
    {
        await using var origin = new TestOrigin();
        await using var proxy = TomlProxy.Start("", $$"""
            [[routes]]
            name = "canary"
            path = "/checkout"
            methods = ["POST"]
            headers = { "x-tenant" = "secret-tenant" }
            split = [{ cluster = "backend", weight = 9 }, { cluster = "other", weight = 1 }]
            split_key = "cookie:user"

            [[routes]]
            name = "old"
            hosts = ["old.example.com"]
            redirect = { to = "https://new.example.com{path}", status = 301 }

            [[clusters]]
            name = "other"
            destinations = [{ address = "{{origin.Address}}" }]
            """, origin.Address);
        using var admin = new AdminApi(proxy.Proxy);

        JsonElement document = await admin.GetJsonAsync("/admin/routes");
        string text = document.GetRawText();

        JsonElement canary = document.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "canary");
        Assert.Equal(JsonValueKind.Null, canary.GetProperty("cluster").ValueKind);
        Assert.Equal(["backend", "other"], canary.GetProperty("split").EnumerateArray().Select(t => t.GetProperty("cluster").GetString()));
        Assert.Equal("cookie:user", canary.GetProperty("split_key").GetString());
        Assert.Equal(["POST"], Strings(canary.GetProperty("methods")));
        Assert.Equal("x-tenant", canary.GetProperty("headers")[0].GetProperty("name").GetString());
        Assert.DoesNotContain("secret-tenant", text, StringComparison.Ordinal);
        JsonElement old = document.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "old");
        Assert.Equal(301, old.GetProperty("redirect").GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Clusters_AfterKnownTraffic_ShowsSettingsAndEveryDestinationsFigures()
    {
        await using var heavy = new TestOrigin(_ => OriginResponse.Text("heavy"));
        await using var light = new TestOrigin(_ => OriginResponse.Text("light"));
        string idle = $"127.0.0.1:{TestConfigs.UnusedPort()}";
        await using var proxy = TomlProxy.Start("balancer = \"weighted_round_robin\"", $$"""
            [clusters.retry]
            attempts = 2
            backoff = "10ms"
            budget_percent = 30
            on = ["connect_failure", "503"]

            [[clusters]]
            name = "hashed"
            balancer = "consistent_hash"
            hash_key = "header:x-user"
            destinations = [{ address = "{{idle}}" }]
            """, $"{{ address = \"{heavy.Address}\", weight = 3 }}", light.Address);
        using HttpClient client = proxy.CreateClient();
        using var admin = new AdminApi(proxy.Proxy);
        for (int i = 0; i < 8; i++) await client.GetStringAsync("/");

        // Wait until every connection is back in its pool, so the pool figures are settled.
        JsonElement backend = await admin.WaitForClusterAsync("backend", c => c.GetProperty("destinations").EnumerateArray()
            .All(d => d.GetProperty("requests_in_flight").GetInt32() == 0 && d.GetProperty("pool").GetProperty("active").GetInt32() == 0));

        Assert.Equal("weighted_round_robin", backend.GetProperty("balancer").GetString());
        Assert.Equal(JsonValueKind.Null, backend.GetProperty("hash_key").ValueKind);
        Assert.False(backend.GetProperty("panic").GetBoolean());
        Assert.Equal(2, backend.GetProperty("available_destinations").GetInt32());
        JsonElement retry = backend.GetProperty("retry");
        Assert.Equal(2, retry.GetProperty("attempts").GetInt32());
        Assert.Equal(10, retry.GetProperty("backoff_ms").GetDouble());
        Assert.Equal(100, retry.GetProperty("max_backoff_ms").GetDouble());     // ten times backoff when not given
        Assert.Equal(["connect_failure", "503"], Strings(retry.GetProperty("on")));
        Assert.False(retry.GetProperty("retry_non_idempotent").GetBoolean());
        Assert.Equal(30, retry.GetProperty("budget").GetProperty("percent").GetInt32());
        Assert.Equal(0, retry.GetProperty("budget").GetProperty("retries_granted").GetInt64());

        JsonElement[] destinations = [.. backend.GetProperty("destinations").EnumerateArray()];
        Assert.Equal([heavy.Address, light.Address], destinations.Select(d => d.GetProperty("address").GetString()));
        AssertServed(destinations[0], weight: 3, requests: 6);   // smooth weighted round robin: 3 of every 4
        AssertServed(destinations[1], weight: 1, requests: 2);
        Assert.Equal(6, heavy.Requests.Count);
        Assert.Equal(2, light.Requests.Count);

        JsonElement hashed = await admin.ClusterAsync("hashed");
        Assert.Equal("consistent_hash", hashed.GetProperty("balancer").GetString());
        Assert.Equal("header:x-user", hashed.GetProperty("hash_key").GetString());
        JsonElement untouched = hashed.GetProperty("destinations")[0];
        Assert.Equal(idle, untouched.GetProperty("address").GetString());
        Assert.Equal(0, untouched.GetProperty("requests_total").GetInt64());
        Assert.Equal(JsonValueKind.Null, untouched.GetProperty("ewma_latency_ms").ValueKind);   // nothing measured yet
        Assert.Equal(0, untouched.GetProperty("pool").GetProperty("opened").GetInt64());
    }

    [Fact]
    public async Task NewEndpoints_WithAdminToken_Answer401Without_And200With()
    {
        await using var origin = new TestOrigin();
        var config = TestConfigs.OneCluster(origin);
        config = config with { Admin = config.Admin with { Token = "s3cret" } };
        await using var proxy = InProcessProxy.Start(config);
        using var anonymous = new AdminApi(proxy);
        using var authorized = new AdminApi(proxy, token: "s3cret");
        using var wrong = new AdminApi(proxy, token: "guess");
        string destination = $"/admin/clusters/backend/destinations/{origin.Address}";
        (HttpMethod Method, string Path)[] endpoints =
        [
            (HttpMethod.Get, "/admin/routes"),
            (HttpMethod.Get, "/admin/clusters"),
            (HttpMethod.Post, destination + "/drain"),
            (HttpMethod.Post, destination + "/undrain"),
        ];

        foreach (var (method, path) in endpoints)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous.Client, method, path));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(wrong.Client, method, path));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(authorized.Client, method, path));
        }
    }

    [Fact]
    public async Task WrongMethod_Is405_WithAllow()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var admin = new AdminApi(proxy);

        using HttpResponseMessage postRoutes = await admin.Client.PostAsync("/admin/routes", null);
        using HttpResponseMessage deleteClusters = await admin.Client.DeleteAsync("/admin/clusters");
        using HttpResponseMessage getDrain = await admin.Client.GetAsync($"/admin/clusters/backend/destinations/{origin.Address}/drain");
        using HttpResponseMessage getReload = await admin.Client.GetAsync("/admin/reload");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, postRoutes.StatusCode);
        Assert.Equal(["GET"], postRoutes.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, deleteClusters.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getDrain.StatusCode);
        Assert.Equal(["POST"], getDrain.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getReload.StatusCode);
        Assert.False((await admin.DestinationAsync("backend", origin.Address)).GetProperty("drained").GetBoolean());
    }

    [Fact]
    public async Task Root_ListsEveryEndpoint()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var admin = new AdminApi(proxy);

        string help = await admin.Client.GetStringAsync("/");

        Assert.Contains("GET  /admin/routes", help, StringComparison.Ordinal);
        Assert.Contains("GET  /admin/clusters", help, StringComparison.Ordinal);
        Assert.Contains("POST /admin/clusters/{name}/destinations/{address}/drain", help, StringComparison.Ordinal);
        Assert.Contains("POST /admin/clusters/{name}/destinations/{address}/undrain", help, StringComparison.Ordinal);
    }

    private static void AssertServed(JsonElement destination, int weight, int requests)
    {
        Assert.Equal(weight, destination.GetProperty("weight").GetInt32());
        Assert.False(destination.GetProperty("drained").GetBoolean());
        Assert.True(destination.GetProperty("available").GetBoolean());
        JsonElement health = destination.GetProperty("health");
        Assert.Equal("healthy", health.GetProperty("active").GetString());     // no probes: healthy
        Assert.False(health.GetProperty("ejected").GetBoolean());
        Assert.True(health.GetProperty("usable").GetBoolean());
        Assert.Equal("closed", health.GetProperty("circuit_breaker").GetString());
        Assert.Equal(0, destination.GetProperty("requests_in_flight").GetInt32());
        Assert.Equal(requests, destination.GetProperty("requests_total").GetInt64());
        Assert.True(destination.GetProperty("ewma_latency_ms").GetDouble() > 0);
        JsonElement pool = destination.GetProperty("pool");
        long opened = pool.GetProperty("opened").GetInt64();
        Assert.InRange(opened, 1, requests);
        Assert.Equal(requests, opened + pool.GetProperty("reused").GetInt64());    // each request opened or reused one
        Assert.Equal(0, pool.GetProperty("active").GetInt32());
        Assert.Equal(pool.GetProperty("open").GetInt32(), pool.GetProperty("idle").GetInt32());   // all parked
        Assert.Equal(opened - pool.GetProperty("open").GetInt32(), pool.GetProperty("closed").GetInt64());
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
