using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// Each balancer through the whole proxy, judged by where real requests land: load-aware ones starve a slow origin
/// that round robin keeps feeding, sticky sessions keep a client on one origin, consistent hashing keeps a key on one.
/// </summary>
public sealed class BalancingTests
{
    private static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(100);

    [Theory]
    [InlineData("least_conn")]
    [InlineData("p2c")]
    [InlineData("peak_ewma")]
    public async Task LoadAwareBalancers_SendLessToASlowOrigin(string balancer)
    {
        double slowShare = await SlowOriginShare(balancer);

        // Round robin gives it half; a balancer that sees its queue or its latency gives it far less.
        Assert.InRange(slowShare, 0.0, 0.3);
    }

    [Fact]
    public async Task RoundRobin_SendsHalfToASlowOrigin()
    {
        double slowShare = await SlowOriginShare("round_robin");

        Assert.InRange(slowShare, 0.45, 0.55);
    }

    [Fact]
    public async Task WeightedRoundRobin_FollowsTheWeights()
    {
        await using var heavy = new TestOrigin();
        await using var light = new TestOrigin();
        await using var proxy = TomlProxy.Start("balancer = \"weighted_round_robin\"", "",
            $"{{ address = \"{heavy.Address}\", weight = 3 }}", light.Address);
        using HttpClient client = proxy.CreateClient();

        for (int i = 0; i < 40; i++) await client.GetStringAsync("/");

        Assert.Equal(30, heavy.Requests.Count);
        Assert.Equal(10, light.Requests.Count);
    }

    [Fact]
    public async Task Sticky_KeepsAClientOnOneOrigin_AndANewClientIsPinnedToo()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        await using var proxy = TomlProxy.Start("balancer = \"sticky\"", "", a.Address, b.Address);
        using HttpClient first = CookieClient(proxy);

        using HttpResponseMessage pinning = await first.GetAsync("/");
        string pinnedTo = await pinning.Content.ReadAsStringAsync();
        string setCookie = Assert.Single(pinning.Headers.GetValues("Set-Cookie"));
        var answers = new List<string>();
        for (int i = 0; i < 100; i++) answers.Add(await first.GetStringAsync("/"));

        Assert.StartsWith("proxy_sticky=", setCookie, StringComparison.Ordinal);
        Assert.Contains("HttpOnly", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Address, setCookie, StringComparison.Ordinal);     // an opaque id, never the address
        Assert.All(answers, answer => Assert.Equal(pinnedTo, answer));
        Assert.Equal(101, (pinnedTo == "a" ? a : b).Requests.Count);
        Assert.All((pinnedTo == "a" ? a : b).Requests.Skip(1), r => Assert.Contains("proxy_sticky=", r.Header("Cookie"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sticky_PinnedOriginGone_ClientIsRepinnedElsewhere()
    {
        await using var live = new TestOrigin(_ => OriginResponse.Text("live"));
        var doomed = new TestOrigin(_ => OriginResponse.Text("doomed"));
        await using var proxy = TomlProxy.Start("balancer = \"sticky\"", """
            [clusters.health]
            passive = { consecutive_failures = 1, ejection_time = "60s", max_ejection_percent = 50 }
            """, live.Address, doomed.Address);
        // Find a client pinned to the doomed origin (round robin behind sticky: the first or the second).
        HttpClient? client = null;
        for (int i = 0; i < 4 && client is null; i++)
        {
            HttpClient candidate = CookieClient(proxy);
            if (await candidate.GetStringAsync("/") == "doomed") client = candidate;
            else candidate.Dispose();
        }
        Assert.NotNull(client);

        await doomed.DisposeAsync();
        using HttpResponseMessage repinning = await client.GetAsync("/");
        string afterwards = await client.GetStringAsync("/");

        Assert.Equal("live", await repinning.Content.ReadAsStringAsync());
        Assert.Single(repinning.Headers.GetValues("Set-Cookie"));
        Assert.Equal("live", afterwards);
        client.Dispose();
    }

    [Fact]
    public async Task ConsistentHash_SameKeySameOrigin_AndKeysSpreadOverBoth()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        await using var proxy = TomlProxy.Start("balancer = \"consistent_hash\"\nhash_key = \"header:x-user\"", "", a.Address, b.Address);
        using HttpClient client = proxy.CreateClient();

        var originOf = new Dictionary<string, string>();
        for (int round = 0; round < 5; round++)
        {
            for (int user = 0; user < 20; user++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Add("X-User", $"user-{user}");
                using HttpResponseMessage response = await client.SendAsync(request);
                string origin = await response.Content.ReadAsStringAsync();
                Assert.Equal(originOf.GetValueOrDefault($"user-{user}", origin), origin);
                originOf[$"user-{user}"] = origin;
            }
        }

        Assert.Contains("a", originOf.Values);
        Assert.Contains("b", originOf.Values);
    }

    private static HttpClient CookieClient(TomlProxy proxy) =>
        new(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = proxy.Proxy.BaseUri };

    /// <summary>The share of 200 requests, 8 at a time, that went to an origin 100 ms slower than its peer.</summary>
    private static async Task<double> SlowOriginShare(string balancer)
    {
        await using var fast = new TestOrigin();
        await using var slow = new TestOrigin(_ => new OriginResponse { Delay = SlowDelay });
        await using var proxy = TomlProxy.Start($"balancer = \"{balancer}\"", "", fast.Address, slow.Address);
        int next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using HttpClient client = proxy.CreateClient();
            while (Interlocked.Increment(ref next) <= 200)
            {
                using HttpResponseMessage response = await client.GetAsync("/");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));
        return slow.Requests.Count / 200.0;
    }
}
