using System.Collections.Concurrent;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Metrics;
using Proxy.Protocols.Http1;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// Every file of Corpus/ sent as exact bytes through an in-process proxy to a recording origin: the client gets the
/// expected status (and, for a rejection, Connection: close and a closed connection), the rejection is counted once
/// under its reason, the origin sees nothing of a rejected request, and a valid request on a new connection
/// still works afterwards.
/// </summary>
public sealed class CorpusTests(CorpusTests.Proxies proxies) : IClassFixture<CorpusTests.Proxies>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static TheoryData<string> Cases() => new(CorpusCase.Names());

    [Fact]
    public void Corpus_HasAtLeastSixtyCases_EachLoadable()
    {
        string[] names = CorpusCase.Names().ToArray();
        Assert.True(names.Length >= 60, $"only {names.Length} corpus files");
        foreach (string name in names) CorpusCase.Load(name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_FromCorpus_GetsExpectedTreatment(string name)
    {
        CorpusCase c = CorpusCase.Load(name);
        Proxies.Environment env = await proxies.ForAsync(c);
        ProxyStats stats = env.Proxy.Server.Context.Stats;
        long[] rejectsBefore = RejectCounts(stats);
        int connectionsBefore = env.Origin.Connections;
        int requestsBefore = env.Origin.Requests.Count;

        using (var raw = new RawHttp(env.Proxy.EndPoint))
        {
            await raw.SendAsync(c.Request);
            if (c.HalfClose) raw.ShutdownSend();

            if (c.Status is int status)
            {
                var interim = new List<int>();
                RawResponse response = await raw.ReadFinalResponseAsync(interim, requestWasHead: c.Request.AsSpan().StartsWith("HEAD "u8))
                    .WaitAsync(Patience);
                Assert.True(status == response.Status, $"{name}: expected {status}, got {response.StatusLine} ({c.Why})");
                Assert.Equal(c.Interim, interim);
                if (status >= 400)
                {
                    Assert.Equal("close", response.Header("Connection"));
                    await raw.ReadToEndAsync(Patience);     // the proxy closes its side
                }
            }
            else
            {
                byte[] rest = await raw.ReadToEndAsync(Patience);
                Assert.True(rest.Length == 0, $"{name}: expected no response, got {rest.Length} bytes");
            }
        }

        long[] rejectsAfter = RejectCounts(stats);
        for (int i = 0; i < rejectsAfter.Length; i++)
        {
            long expected = c.Reject is { } reason && (int)reason == i ? 1 : 0;
            Assert.True(expected == rejectsAfter[i] - rejectsBefore[i],
                $"{name}: {(RejectReason)i} counted {rejectsAfter[i] - rejectsBefore[i]} times, expected {expected}");
        }

        int newRequests = env.Origin.Requests.Count - requestsBefore;
        switch (c.Upstream)
        {
            case UpstreamExpectation.None:
                Assert.True(newRequests == 0, $"{name}: the origin received {newRequests} request(s)");
                Assert.True(env.Origin.Connections == connectionsBefore, $"{name}: a connection to the origin was opened");
                break;
            case UpstreamExpectation.Partial:
                Assert.True(newRequests == 0, $"{name}: the origin received {newRequests} complete request(s)");
                break;
            case UpstreamExpectation.Forwarded:
                Assert.True(newRequests == 1, $"{name}: the origin received {newRequests} request(s), expected 1");
                AssertForwardedAsExpected(c, env.Origin.Requests.Last());
                break;
        }

        // The proxy is unharmed: a valid request on a new connection goes through.
        using var next = new RawHttp(env.Proxy.EndPoint);
        await next.SendAsync("GET /after-corpus-case HTTP/1.1\r\nHost: corpus.test\r\n\r\n");
        RawResponse after = await next.ReadResponseAsync().WaitAsync(Patience);
        Assert.Equal(200, after.Status);
        Assert.Equal("/after-corpus-case", env.Origin.Requests.Last().Target);
    }

    private static void AssertForwardedAsExpected(CorpusCase c, OriginRequest seen)
    {
        if (c.UpstreamMethod is not null) Assert.Equal(c.UpstreamMethod, seen.Method);
        if (c.UpstreamTarget is not null) Assert.Equal(c.UpstreamTarget, seen.Target);
        if (c.UpstreamBody is not null) Assert.Equal(c.UpstreamBody, System.Text.Encoding.Latin1.GetString(seen.Body));
        Assert.Equal("HTTP/1.1", seen.Version);
        foreach (var (header, value) in c.UpstreamHeaders)
        {
            string[] values = seen.All(header).ToArray();
            Assert.True(values.Length == 1, $"{c.Name}: {header} reached the origin {values.Length} times: {string.Join(" | ", values)}");
            Assert.Equal(value, values[0]);
        }
        foreach (string header in c.UpstreamAbsent)
        {
            Assert.False(seen.Has(header), $"{c.Name}: {header} reached the origin");
        }
        // One framing only, whichever the client used.
        Assert.False(seen.Has("Content-Length") && seen.Has("Transfer-Encoding"), $"{c.Name}: both framings reached the origin");
        Assert.True(seen.All("Content-Length").Count() <= 1, $"{c.Name}: several Content-Length fields reached the origin");
        Assert.True(seen.All("Transfer-Encoding").Count() <= 1, $"{c.Name}: several Transfer-Encoding fields reached the origin");
    }

    private static long[] RejectCounts(ProxyStats stats) =>
        Enum.GetValues<RejectReason>().Select(stats.Rejects).ToArray();

    /// <summary>One proxy and origin per set of limits the corpus asks for, shared by the cases that ask for it.</summary>
    public sealed class Proxies : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<Environment>>> _environments = new();

        public sealed record Environment(InProcessProxy Proxy, TestOrigin Origin);

        public Task<Environment> ForAsync(CorpusCase c) =>
            _environments.GetOrAdd(c.LimitsKey, _ => new Lazy<Task<Environment>>(() => Task.FromResult(Create(c)))).Value;

        private static Environment Create(CorpusCase c)
        {
            var origin = new TestOrigin(r => OriginResponse.Text($"{r.Method} {r.Target} {r.BodyLength}"));
            var config = TestConfigs.OneCluster(origin);
            config = config with
            {
                Limits = config.Limits with
                {
                    MaxRequestHead = c.MaxRequestHead ?? config.Limits.MaxRequestHead,
                    MaxHeaders = c.MaxHeaders ?? config.Limits.MaxHeaders,
                    MaxRequestBody = c.MaxRequestBody ?? config.Limits.MaxRequestBody,
                },
            };
            return new Environment(InProcessProxy.Start(config), origin);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (Lazy<Task<Environment>> lazy in _environments.Values)
            {
                Environment env = await lazy.Value;
                await env.Proxy.DisposeAsync();
                await env.Origin.DisposeAsync();
            }
        }
    }
}
