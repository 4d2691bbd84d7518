using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// Route matchers and actions through the whole proxy, configured in TOML as an operator writes them: methods,
/// headers, query, regex paths, 405 with Allow, rewrites, header edits, redirects, direct responses, splits and
/// mirrors.
/// </summary>
public sealed class RouteActionTests
{
    [Fact]
    public async Task Methods_OtherMethod_Gets405WithAllow()
    {
        await using var origin = new TestOrigin();
        await using var proxy = TomlProxy.StartWith($$"""
            [[routes]]
            name = "read"
            path_prefix = "/items"
            methods = ["GET", "HEAD"]
            cluster = "app"

            [[clusters]]
            name = "app"
            destinations = [{{Dest(origin)}}]
            """);
        using HttpClient client = proxy.CreateClient();

        using HttpResponseMessage get = await client.GetAsync("/items/1");
        using HttpResponseMessage delete = await client.DeleteAsync("/items/1");
        using HttpResponseMessage elsewhere = await client.GetAsync("/other");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal(["GET", "HEAD"], delete.Content.Headers.Allow.Order());
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Single(origin.Requests);
    }

    [Fact]
    public async Task HeaderQueryAndRegexConditions_ChooseTheRoute()
    {
        await using var beta = new TestOrigin(_ => OriginResponse.Text("beta"));
        await using var report = new TestOrigin(_ => OriginResponse.Text("report"));
        await using var main = new TestOrigin(_ => OriginResponse.Text("main"));
        await using var proxy = TomlProxy.StartWith($$"""
            [[routes]]
            name = "beta"
            headers = { "x-beta" = "1" }
            cluster = "beta"

            [[routes]]
            name = "report"
            path_regex = "^/reports/[0-9]+$"
            query = { format = "pdf" }
            cluster = "report"

            [[routes]]
            name = "main"
            cluster = "main"

            [[clusters]]
            name = "beta"
            destinations = [{{Dest(beta)}}]

            [[clusters]]
            name = "report"
            destinations = [{{Dest(report)}}]

            [[clusters]]
            name = "main"
            destinations = [{{Dest(main)}}]
            """);
        using HttpClient client = proxy.CreateClient();
        using var betaRequest = new HttpRequestMessage(HttpMethod.Get, "/anything");
        betaRequest.Headers.Add("X-Beta", "1");

        Assert.Equal("beta", await (await client.SendAsync(betaRequest)).Content.ReadAsStringAsync());
        Assert.Equal("report", await client.GetStringAsync("/reports/42?format=pdf"));
        Assert.Equal("main", await client.GetStringAsync("/reports/42?format=csv"));
        Assert.Equal("main", await client.GetStringAsync("/reports/x?format=pdf"));
        Assert.Equal("report", await client.GetStringAsync("/reports/./42?format=pdf"));     // matched in normal form
    }

    [Fact]
    public async Task PathEscapingTheRoot_Is400()
    {
        await using var origin = new TestOrigin();
        await using var proxy = TomlProxy.StartWith($$"""
            [[routes]]
            name = "all"
            cluster = "app"

            [[clusters]]
            name = "app"
            destinations = [{{Dest(origin)}}]
            """);
        using var raw = new RawHttp(proxy.Proxy.EndPoint);

        await raw.SendAsync("GET /a/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal(400, response.Status);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Rewrites_StripAndAddPrefix_UpstreamHost_HeaderEdits_BothWays()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("ok") with
        {
            Headers = [new("Server", "secret-version"), new("X-Frame-Options", "ALLOW")],
        });
        await using var proxy = TomlProxy.StartWith($$"""
            [[routes]]
            name = "api"
            path_prefix = "/v1"
            path_prefix_segments = true
            strip_prefix = "/v1"
            add_prefix = "/api"
            upstream_host = "internal.example"
            set_headers = { "X-Env" = "prod" }
            remove_headers = ["x-debug"]
            response_set_headers = { "X-Frame-Options" = "DENY" }
            response_remove_headers = ["server"]
            cluster = "app"

            [[clusters]]
            name = "app"
            destinations = [{{Dest(origin)}}]
            """);
        using HttpClient client = proxy.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/7?full=1");
        request.Headers.Add("X-Debug", "1");
        request.Headers.Add("X-Env", "dev");

        using HttpResponseMessage response = await client.SendAsync(request);

        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal("/api/users/7?full=1", seen.Target);
        Assert.Equal("internal.example", seen.Header("Host"));
        Assert.Equal("prod", seen.Header("X-Env"));
        Assert.False(seen.Has("X-Debug"));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Redirect_And_DirectResponse_AnswerWithoutAnUpstream()
    {
        await using var origin = new TestOrigin();
        await using var proxy = TomlProxy.StartWith($$"""
            [[routes]]
            name = "old"
            path_prefix = "/old/"
            redirect = { to = "https://{host}/new{path}{query}", status = 308 }

            [[routes]]
            name = "health"
            path = "/healthz"
            respond = { status = 200, body = "alive", content_type = "text/plain" }

            [[routes]]
            name = "rest"
            cluster = "app"

            [[clusters]]
            name = "app"
            destinations = [{{Dest(origin)}}]
            """);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = proxy.Proxy.BaseUri };
        using var redirected = new HttpRequestMessage(HttpMethod.Get, "/old/page?a=1");
        redirected.Headers.Host = "shop.example:8080";

        using HttpResponseMessage redirect = await client.SendAsync(redirected);
        using HttpResponseMessage direct = await client.GetAsync("/healthz");
        using HttpResponseMessage forwarded = await client.GetAsync("/other");

        Assert.Equal((HttpStatusCode)308, redirect.StatusCode);
        Assert.Equal("https://shop.example/new/old/page?a=1", redirect.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("alive", await direct.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", direct.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Single(origin.Requests);
    }

    [Fact]
    public async Task Split_WeightedAcrossClusters_Over10000Requests()
    {
        await using var stable = new TestOrigin(_ => OriginResponse.Text("stable"));
        await using var canary = new TestOrigin(_ => OriginResponse.Text("canary"));
        await using var proxy = TomlProxy.StartWith(SplitConfig(stable, canary, splitKey: null));
        int next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using HttpClient client = proxy.CreateClient();
            while (Interlocked.Increment(ref next) <= 10_000) await client.GetStringAsync("/");
        }));

        // 90/10: the canary's share of 10,000 independent draws is within ±1.5 points (over 4 standard deviations).
        Assert.Equal(10_000, stable.Requests.Count + canary.Requests.Count);
        Assert.InRange(canary.Requests.Count, 850, 1150);
    }

    [Fact]
    public async Task Split_WithSplitKey_KeepsEachUserOnOneSide()
    {
        await using var stable = new TestOrigin(_ => OriginResponse.Text("stable"));
        await using var canary = new TestOrigin(_ => OriginResponse.Text("canary"));
        await using var proxy = TomlProxy.StartWith(SplitConfig(stable, canary, splitKey: "cookie:user"));
        using HttpClient client = proxy.CreateClient();

        var sides = new Dictionary<int, HashSet<string>>();
        for (int round = 0; round < 3; round++)
        {
            for (int user = 0; user < 200; user++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Add("Cookie", $"theme=dark; user=u{user}");
                using HttpResponseMessage response = await client.SendAsync(request);
                (sides.TryGetValue(user, out var set) ? set : sides[user] = []).Add(await response.Content.ReadAsStringAsync());
            }
        }

        Assert.All(sides.Values, set => Assert.Single(set));
        Assert.Contains(sides.Values, set => set.Contains("canary"));
        Assert.Contains(sides.Values, set => set.Contains("stable"));
    }

    [Fact]
    public async Task Mirror_CopiesRequestsWithTheirBody_AndTheShadowAnswerIsDropped()
    {
        await using var main = new TestOrigin(_ => OriginResponse.Text("main"));
        await using var shadow = new TestOrigin(_ => OriginResponse.Text("shadow", 500));
        await using var proxy = TomlProxy.StartWith(MirrorConfig(main, shadow.Address));
        using HttpClient client = proxy.CreateClient();

        for (int i = 0; i < 20; i++)
        {
            using var body = new StringContent($"payload {i}");
            using HttpResponseMessage response = await client.PostAsync($"/orders/{i}", body);
            Assert.Equal("main", await response.Content.ReadAsStringAsync());
        }
        await Wait.Until(() => shadow.Requests.Count == 20);

        Assert.Equal(20, main.Requests.Count);
        Assert.Equal(
            main.Requests.Select(r => (r.Target, System.Text.Encoding.UTF8.GetString(r.Body))).Order(),
            shadow.Requests.Select(r => (r.Target, System.Text.Encoding.UTF8.GetString(r.Body))).Order());
    }

    [Fact]
    public async Task Mirror_ShadowDownOrSlow_MainResponsesUnaffected()
    {
        await using var main = new TestOrigin(_ => OriginResponse.Text("main"));
        await using var slow = new TestOrigin(_ => OriginResponse.Text("late") with { Delay = TimeSpan.FromSeconds(5) });
        foreach (string shadow in new[] { $"127.0.0.1:{TestConfigs.UnusedPort()}", slow.Address })
        {
            await using var proxy = TomlProxy.StartWith(MirrorConfig(main, shadow));
            using HttpClient client = proxy.CreateClient();
            var clock = System.Diagnostics.Stopwatch.StartNew();

            for (int i = 0; i < 20; i++) Assert.Equal("main", await client.GetStringAsync("/"));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"20 requests took {clock.Elapsed} with the shadow at {shadow}");
        }
    }

    private static string SplitConfig(TestOrigin stable, TestOrigin canary, string? splitKey) => $$"""
        [[routes]]
        name = "app"
        split = [{ cluster = "stable", weight = 90 }, { cluster = "canary", weight = 10 }]
        {{(splitKey is null ? "" : $"split_key = \"{splitKey}\"")}}

        [[clusters]]
        name = "stable"
        destinations = [{{Dest(stable)}}]

        [[clusters]]
        name = "canary"
        destinations = [{{Dest(canary)}}]
        """;

    private static string MirrorConfig(TestOrigin main, string shadowAddress) => $$"""
        [[routes]]
        name = "app"
        cluster = "main"
        mirror = { cluster = "shadow", percent = 100, max_body = "1KiB" }

        [[clusters]]
        name = "main"
        destinations = [{{Dest(main)}}]

        [[clusters]]
        name = "shadow"
        destinations = [{ address = "{{shadowAddress}}" }]

        [clusters.timeouts]
        response_header = "1s"
        """;

    private static string Dest(TestOrigin origin) => $"{{ address = \"{origin.Address}\" }}";
}
