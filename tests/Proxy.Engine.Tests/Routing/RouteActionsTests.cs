using System.Text;
using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using static Proxy.Engine.Tests.Routing.TestRoutes;

namespace Proxy.Engine.Tests.Routing;

public sealed class RouteActionsTests
{
    [Theory]
    [InlineData("/v1", null, "/v1/users", "/users")]
    [InlineData("/v1", null, "/v1", "/")]
    [InlineData("/v1", null, "/v1/", "/")]
    [InlineData("/v1", null, "/v1x/users", "/v1x/users")]
    [InlineData("/v1", null, "/other", "/other")]
    [InlineData("/v1", "/api", "/v1/users", "/api/users")]
    [InlineData("/v1", "/api", "/v1", "/api")]
    [InlineData(null, "/api", "/users", "/api/users")]
    [InlineData(null, "/api", "/", "/api/")]
    [InlineData("/a/b", "/c", "/a/b/d", "/c/d")]
    [InlineData("/v1", "/api", "*", "*")]
    public void PathRewrite_Apply_StripsOnASegmentBoundaryThenAdds(string? strip, string? add, string path, string expected)
    {
        var rewrite = new PathRewrite(strip, add);
        byte[] destination = new byte[rewrite.MaxLength(path.Length)];

        int written = rewrite.Apply(Encoding.ASCII.GetBytes(path), destination);

        Assert.Equal(expected, Encoding.ASCII.GetString(destination, 0, written));
    }

    [Fact]
    public void HeaderEdits_SetReplacesAndRemoveDrops_AnyCase()
    {
        var edits = new HeaderEdits([new HeaderValueConfig("X-Route", "api"), new HeaderValueConfig("x-b", "2")], ["x-debug"]);

        Assert.True(edits.Removes("X-DEBUG"u8));
        Assert.True(edits.Removes("x-route"u8));
        Assert.False(edits.Removes("x-other"u8));
        Assert.Equal("X-Route: api\r\nx-b: 2\r\n", Encoding.ASCII.GetString(edits.AddedLines));
        Assert.True(HeaderEdits.None.IsEmpty);
        Assert.False(HeaderEdits.None.Removes("x"u8));
    }

    [Theory]
    [InlineData("https://{host}{path}{query}", "https", "example.com:8080", "/a/b", "?x=1", "https://example.com/a/b?x=1")]
    [InlineData("https://{host}{path}{query}", "http", "example.com", "/", "", "https://example.com/")]
    [InlineData("{scheme}://new.example{path}", "http", "old.example", "/p", "?q", "http://new.example/p")]
    [InlineData("/moved", "http", "h", "/p", "?q", "/moved")]
    [InlineData("https://[{host}]/x", "http", "[::1]:80", "/", "", "https://[[::1]]/x")]
    public void Redirect_WriteLocation_FillsThePlaceholders(string to, string scheme, string authority, string path, string query, string expected)
    {
        var redirect = new Redirect(new RedirectConfig { To = to, Status = 308 }, HeaderEdits.None);
        byte[] s = Encoding.ASCII.GetBytes(scheme), a = Encoding.ASCII.GetBytes(authority), p = Encoding.ASCII.GetBytes(path), q = Encoding.ASCII.GetBytes(query);
        byte[] destination = new byte[redirect.LocationLength(s, a, p, q)];

        int written = redirect.WriteLocation(s, a, p, q, destination);

        Assert.Equal(expected, Encoding.ASCII.GetString(destination, 0, written));
        Assert.Equal(destination.Length, written);
    }

    [Fact]
    public void Redirect_WriteResponse_IsACompleteHeadWithTheRouteHeaders()
    {
        var redirect = new Redirect(new RedirectConfig { To = "https://{host}{path}", Status = 301 },
                                    new HeaderEdits([new HeaderValueConfig("Cache-Control", "max-age=60")], []));
        byte[] destination = new byte[redirect.ResponseLength("http"u8, "a.example"u8, "/x"u8, ""u8)];

        int written = redirect.WriteResponse("http"u8, "a.example"u8, "/x"u8, ""u8, close: true, destination);

        Assert.Equal("HTTP/1.1 301 Moved Permanently\r\nLocation: https://a.example/x\r\nCache-Control: max-age=60\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                     Encoding.ASCII.GetString(destination, 0, written));
        written = redirect.WriteResponse("http"u8, "a.example"u8, "/x"u8, ""u8, close: false, destination);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", Encoding.ASCII.GetString(destination, 0, written), StringComparison.Ordinal);
    }

    [Fact]
    public void DirectResponse_For_IsPreRenderedInFourForms()
    {
        var respond = new DirectResponse(new DirectResponseConfig { Status = 200, Body = "ok" },
                                         new HeaderEdits([new HeaderValueConfig("X-Served-By", "proxy")], []));

        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nX-Served-By: proxy\r\n\r\nok", Text(respond.For(headRequest: false, close: false)));
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nX-Served-By: proxy\r\nConnection: close\r\n\r\nok", Text(respond.For(headRequest: false, close: true)));
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nX-Served-By: proxy\r\n\r\n", Text(respond.For(headRequest: true, close: false)));
        Assert.EndsWith("Connection: close\r\n\r\n", Text(respond.For(headRequest: true, close: true)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(204, "", null, "HTTP/1.1 204 No Content\r\n\r\n")]
    [InlineData(503, "down", "application/json", "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\ndown")]
    [InlineData(299, "", null, "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n")]
    [InlineData(200, "é", null, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\né")]
    public void DirectResponse_For_FramesTheBodyByStatus(int status, string body, string? contentType, string expected)
    {
        var respond = new DirectResponse(new DirectResponseConfig { Status = status, Body = body, ContentType = contentType }, HeaderEdits.None);

        Assert.Equal(expected, Encoding.UTF8.GetString(respond.For(headRequest: false, close: false)));
    }

    [Fact]
    public void TrafficSplit_IndexAt_FollowsTheCumulativeWeights()
    {
        TrafficSplit split = Split(key: null, 5, 95);

        Assert.Equal(100, split.TotalWeight);
        Assert.Equal([0, 0, 1, 1], new[] { 0, 4, 5, 99 }.Select(split.IndexAt));
    }

    [Fact]
    public void TrafficSplit_IndexForRandom_UsesOneDrawOverTheTotalWeight()
    {
        TrafficSplit split = Split(key: null, 1, 2, 1);
        var random = new FixedRandom(2);

        Assert.Equal(1, split.IndexForRandom(random));
        Assert.Equal(4, random.LastBound);
    }

    [Fact]
    public void TrafficSplit_IndexForKey_IsStableAndSpreadsByWeight()
    {
        TrafficSplit split = Split(key: null, 10, 90);
        int[] counts = new int[2];
        for (int i = 0; i < 20_000; i++) counts[split.IndexForKey(Encoding.ASCII.GetBytes($"user-{i}"))]++;

        Assert.Equal(split.IndexForKey("user-42"u8), split.IndexForKey("user-42"u8));
        Assert.InRange(counts[0], 1_700, 2_300);       // 10% of 20,000, give or take a few standard deviations
        // The hash is fixed by this code, not by the process: a change here would move every client.
        Assert.Equal(11787383432861261453UL, StableKeyHash.Hash64("user-42"u8));
    }

    [Fact]
    public void TrafficSplit_Choose_ByKeyWhenPresentElseAtRandom()
    {
        TrafficSplit split = Split(new RequestKey(new HashKeySource(HashKeyKind.Cookie, "session")), 1, 1);

        Cluster byKey = split.Choose(Request("GET", "h", "/", "Cookie: a=1; session=abc"), [], new FixedRandom(0));
        Assert.Same(split.Clusters[split.IndexForKey("abc"u8)], byKey);
        Assert.Same(split.Clusters[1], split.Choose(Request("GET", "h", "/"), [], new FixedRandom(1)));
    }

    [Theory]
    [InlineData(HashKeyKind.Header, "x-user", "GET /p?u=1 HTTP/1.1|X-User: alice", "alice")]
    [InlineData(HashKeyKind.Cookie, "sid", "GET / HTTP/1.1|Cookie: a=1;sid=s2; b=3", "s2")]
    [InlineData(HashKeyKind.Query, "u", "GET /p?a=1&u=bob%20x HTTP/1.1", "bob%20x")]
    [InlineData(HashKeyKind.Path, "", "GET /p/q?x HTTP/1.1", "/p/q")]
    [InlineData(HashKeyKind.ClientIp, "", "GET / HTTP/1.1", "203.0.113.9")]
    [InlineData(HashKeyKind.Header, "x-user", "GET / HTTP/1.1", null)]
    [InlineData(HashKeyKind.Cookie, "sid", "GET / HTTP/1.1|Cookie: xsid=1", null)]
    public void RequestKey_TryGet_ReadsTheKeyFromTheRequest(HashKeyKind kind, string name, string request, string? expected)
    {
        string[] lines = request.Split('|');
        string[] start = lines[0].Split(' ');
        var key = new RequestKey(new HashKeySource(kind, name));

        bool found = key.TryGet(Request(start[0], "h", start[1], lines[1..]), "203.0.113.9"u8, out ReadOnlySpan<byte> value);

        Assert.Equal(expected, found ? Encoding.ASCII.GetString(value) : null);
    }

    [Fact]
    public void Mirror_ShouldCopy_OneDrawInMillionths()
    {
        var mirror = new Mirror(Clusters()["d"], percent: 2.5, maxBody: 1024);

        Assert.True(mirror.ShouldCopy(new FixedRandom(24_999)));
        Assert.False(mirror.ShouldCopy(new FixedRandom(25_000)));
        Assert.True(new Mirror(Clusters()["d"], 100, 0).ShouldCopy(new FixedRandom(999_999)));
        Assert.True(mirror.BodyFits(1024));
        Assert.False(mirror.BodyFits(1025));
    }

    [Fact]
    public void Compile_RouteActions_ResolveClustersAndBuildEveryAction()
    {
        RoutingSnapshot snapshot = Compile(new RouteConfig
        {
            Name = "r",
            Split = [new SplitTargetConfig { Cluster = "c", Weight = 3 }, new SplitTargetConfig { Cluster = "d", Weight = 1 }],
            SplitKey = new HashKeySource(HashKeyKind.Header, "x-user"),
            StripPrefix = "/v1",
            UpstreamHost = "internal",
            SetHeaders = [new HeaderValueConfig("x-route", "r")],
            ResponseRemoveHeaders = ["server"],
            Mirror = new MirrorConfig { Cluster = "e", Percent = 10 },
        });

        Route route = Assert.Single(snapshot.Routes.ToArray());
        Assert.Null(route.ClusterOrNull);
        Assert.Equal(["c", "d"], route.Actions.Split!.Clusters.ToArray().Select(cluster => cluster.Name));
        Assert.Equal("internal", Encoding.ASCII.GetString(route.Actions.UpstreamHost.Span));
        Assert.NotNull(route.Actions.PathRewrite);
        Assert.True(route.Actions.RequestHeaders.Removes("x-route"u8));
        Assert.True(route.Actions.ResponseHeaders.Removes("Server"u8));
        Assert.Equal("e", route.Actions.Mirror!.Cluster.Name);
        Assert.Null(route.Actions.Redirect);
        Assert.Null(route.Actions.DirectResponse);
    }

    private static TrafficSplit Split(RequestKey? key, params int[] weights) =>
        new([.. weights.Select((_, i) => Clusters()[ClusterNames[i]])], weights, key);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    private sealed class FixedRandom(int value) : IRandomSource
    {
        public int LastBound { get; private set; }

        public int NextInt32(int maxExclusive)
        {
            LastBound = maxExclusive;
            return value;
        }

        public long NextInt64(long maxExclusive) => value;
    }
}
