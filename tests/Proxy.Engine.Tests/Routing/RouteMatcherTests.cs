using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;
using static Proxy.Engine.Tests.Routing.TestRoutes;

namespace Proxy.Engine.Tests.Routing;

public sealed class RouteMatcherTests
{
    [Theory]
    [InlineData("api.example.com", "exact")]
    [InlineData("API.Example.COM", "exact")]
    [InlineData("api.example.com:8080", "exact")]
    [InlineData("api.example.com.", "exact")]
    [InlineData("www.example.org", "wildcard")]
    [InlineData("a.b.example.org", "wildcard")]
    [InlineData("example.org", "any")]
    [InlineData(".example.org", "any")]
    [InlineData("elsewhere", "any")]
    [InlineData("[::1]:8080", "v6")]
    public void Match_Hosts_ExactWildcardOrAny(string host, string expected)
    {
        RoutingSnapshot snapshot = Compile(
            Route("exact", hosts: ["api.example.com"]),
            Route("wildcard", hosts: ["*.example.org"]),
            Route("v6", hosts: ["[::1]"]),
            Route("any"));

        Assert.Equal(expected, Outcome(snapshot.Match(Request("GET", host, "/"))));
    }

    [Fact]
    public void Match_HostWithAByteAbove7F_IsNotTheNameBeforeIt()
    {
        // Lower-casing with Ascii.ToLower stopped at such a byte, so "a.com\xFF" was looked up as "a.com".
        RoutingSnapshot snapshot = Compile(Route("exact", hosts: ["a.com"]), Route("wildcard", hosts: ["*.com"]), Route("any"));

        Assert.Equal("any", Outcome(snapshot.Match("GET"u8, [(byte)'a', (byte)'.', (byte)'c', (byte)'o', (byte)'m', 0xFF], "/"u8)));
        Assert.Equal("exact", Outcome(snapshot.Match("GET"u8, "A.Com"u8, "/"u8)));
    }

    [Theory]
    [InlineData("x.b.example.org", "longer")]
    [InlineData("X.B.EXAMPLE.org:8080", "longer")]
    [InlineData("b.example.org", "shorter")]
    [InlineData("xb.example.org", "shorter")]
    [InlineData("a.x.b.example.org", "longer")]
    [InlineData("example.org", "any")]
    [InlineData(".example.org", "any")]
    [InlineData("b.example.org.", "shorter")]
    [InlineData("x.b.example.com", "any")]
    public void Match_Wildcards_TheLongestSuffixThatEndsTheHostAtADot(string host, string expected)
    {
        RoutingSnapshot snapshot = Compile(
            Route("shorter", hosts: ["*.example.org"]),
            Route("longer", hosts: ["*.b.example.org"]),
            Route("other-length", hosts: ["*.a.example.org.uk"]),
            Route("any"));

        Assert.Equal(expected, Outcome(snapshot.Match(Request("GET", host, "/"))));
    }

    [Theory]
    [InlineData("/re/1", "re-digit")]
    [InlineData("/re/x", "prefix")]
    [InlineData("/reports/2024", "re-any")]
    [InlineData("/", "root")]
    [InlineData("/r", "anywhere")]
    [InlineData("/other/re/1", "anywhere")]
    [InlineData("/x/end", "ends")]
    [InlineData("/x", "NotFound")]
    public void Match_Regexes_TriedByTheirLiteralPrefix(string path, string expected)
    {
        // Literal prefixes "/re/", "/re", "" (none), "/" and "": they sit in the path tree, so every regex whose
        // prefix the path starts with is tried, in file order among regexes.
        RoutingSnapshot snapshot = Compile(
            Route("re-digit", regex: "^/re/[0-9]+$"),
            Route("re-any", regex: "^/re[a-z]+/[0-9]+$"),
            Route("ends", regex: "end$"),
            Route("root", regex: "^/$"),
            Route("prefix", prefix: "/re/x"),
            Route("anywhere", regex: "r"));

        Assert.Equal(expected, Outcome(snapshot.Match("GET"u8, "h"u8, Encoding.ASCII.GetBytes(path))));
    }

    [Fact]
    public void MatchAuthorityAndPath_TakesOnlyRoutesThatNeedNoMethodFieldOrAction()
    {
        RoutingSnapshot snapshot = Compile(
            Route("get-only", prefix: "/a", methods: ["GET"], priority: 2),
            Route("needs-header", prefix: "/a", priority: 1) with { Headers = [new FieldMatchConfig { Name = "x-t", Kind = FieldMatchKind.Present }] },
            Route("plain", prefix: "/a"),
            Route("redirect", prefix: "/r") with { Cluster = null, Redirect = new RedirectConfig { To = "/a", Status = 302 } });

        Assert.Equal("plain", snapshot.Match("h"u8, "/a/../a/x"u8)?.Name);
        Assert.Null(snapshot.Match("h"u8, "/r"u8));
        Assert.Null(snapshot.Match("h"u8, "/../x"u8));
        Assert.Null(snapshot.Match("h"u8, "/elsewhere"u8));
        Assert.Throws<InvalidOperationException>(() => snapshot.Routes[3].Cluster);
        Assert.Equal("c", snapshot.Routes[2].Cluster.Name);
    }

    [Fact]
    public void Match_NoHost_OnlyAnyHostRoutesTakeIt()
    {
        RoutingSnapshot snapshot = Compile(Route("exact", hosts: ["a.example"]), Route("any", prefix: "/x"));

        Assert.Equal("any", Outcome(snapshot.Match("GET"u8, ""u8, "/x"u8)));
        Assert.Equal("NotFound", Outcome(snapshot.Match("GET"u8, ""u8, "/"u8)));
    }

    [Theory]
    [InlineData("/api", "exact")]
    [InlineData("/api/", "prefix-slash")]
    [InlineData("/api/x", "prefix-slash")]
    [InlineData("/apix", "prefix")]
    [InlineData("/ap", "regex")]
    [InlineData("/other", "any")]
    public void Match_PathKinds_ExactBeforePrefixBeforeRegexBeforeAny(string path, string expected)
    {
        RoutingSnapshot snapshot = Compile(
            Route("any"),
            Route("regex", regex: "^/ap"),
            Route("prefix", prefix: "/api"),
            Route("prefix-slash", prefix: "/api/"),
            Route("exact", path: "/api"));

        Assert.Equal(expected, Outcome(snapshot.Match("GET"u8, "h"u8, Encoding.ASCII.GetBytes(path))));
    }

    [Theory]
    [InlineData("/api", "segments")]
    [InlineData("/api/", "segments")]
    [InlineData("/api/x", "segments")]
    [InlineData("/apix", "NotFound")]
    [InlineData("/ap", "NotFound")]
    public void Match_WholeSegmentPrefix_TakesThePrefixAndWhatIsBelowIt(string path, string expected)
    {
        RoutingSnapshot snapshot = Compile(Route("segments", prefix: "/api", segments: true));

        Assert.Equal(expected, Outcome(snapshot.Match("GET"u8, "h"u8, Encoding.ASCII.GetBytes(path))));
    }

    [Fact]
    public void Match_WholeSegmentPrefixWithTrailingSlash_AlsoTakesThePrefixWithout()
    {
        RoutingSnapshot snapshot = Compile(Route("segments", prefix: "/api/", segments: true));

        Assert.Equal("segments", Outcome(snapshot.Match("GET"u8, "h"u8, "/api"u8)));
        Assert.Equal("NotFound", Outcome(snapshot.Match("GET"u8, "h"u8, "/apix"u8)));
    }

    [Fact]
    public void Match_LongerPrefixFirst_ThenFileOrder()
    {
        RoutingSnapshot snapshot = Compile(
            Route("short", prefix: "/a"),
            Route("long", prefix: "/a/b/c"),
            Route("middle-first", prefix: "/a/b"),
            Route("middle-second", prefix: "/a/b"));

        Assert.Equal("long", Outcome(snapshot.Match("GET"u8, "h"u8, "/a/b/c/d"u8)));
        Assert.Equal("middle-first", Outcome(snapshot.Match("GET"u8, "h"u8, "/a/b/x"u8)));
        Assert.Equal("short", Outcome(snapshot.Match("GET"u8, "h"u8, "/a/x"u8)));
    }

    [Fact]
    public void Match_Priority_BeatsEverySpecificity()
    {
        RoutingSnapshot snapshot = Compile(
            Route("exact-host-exact-path", hosts: ["a.example"], path: "/x"),
            Route("any-regex-high", regex: "x", priority: 1));

        Assert.Equal("any-regex-high", Outcome(snapshot.Match("GET"u8, "a.example"u8, "/x"u8)));
    }

    [Fact]
    public void Match_HostBeforePath_AndLongerWildcardFirst()
    {
        RoutingSnapshot snapshot = Compile(
            Route("any-exact-path", path: "/x"),
            Route("short-wildcard", hosts: ["*.example.org"], regex: "x"),
            Route("long-wildcard", hosts: ["*.b.example.org"]),
            Route("exact-host", hosts: ["a.b.example.org"], regex: "^/y"));

        Assert.Equal("long-wildcard", Outcome(snapshot.Match("GET"u8, "a.b.example.org"u8, "/x"u8)));
        Assert.Equal("exact-host", Outcome(snapshot.Match("GET"u8, "a.b.example.org"u8, "/y"u8)));
        Assert.Equal("short-wildcard", Outcome(snapshot.Match("GET"u8, "c.example.org"u8, "/x"u8)));
        Assert.Equal("any-exact-path", Outcome(snapshot.Match("GET"u8, "elsewhere"u8, "/x"u8)));
    }

    [Fact]
    public void Match_RouteWithTwoHosts_RanksByTheHostThatMatched()
    {
        RoutingSnapshot snapshot = Compile(
            Route("wildcard-only", hosts: ["*.example.org"], path: "/p"),
            Route("both", hosts: ["*.example.org", "a.example.org"]));

        // For a.example.org "both" matched by its exact name, which beats any wildcard; for b.example.org only by
        // its wildcard, and then the exact path of the first decides.
        Assert.Equal("both", Outcome(snapshot.Match("GET"u8, "a.example.org"u8, "/p"u8)));
        Assert.Equal("wildcard-only", Outcome(snapshot.Match("GET"u8, "b.example.org"u8, "/p"u8)));
    }

    [Fact]
    public void Match_PathIsNormalisedFirst()
    {
        RoutingSnapshot snapshot = Compile(Route("admin", prefix: "/admin/"), Route("public", prefix: "/public/"));

        Assert.Equal("admin", Outcome(snapshot.Match("GET"u8, "h"u8, "/public/../admin/x"u8)));
        Assert.Equal("admin", Outcome(snapshot.Match("GET"u8, "h"u8, "/public/%2e%2e/admin/x"u8)));
        Assert.Equal("admin", Outcome(snapshot.Match("GET"u8, "h"u8, "//%61dmin/x"u8)));
        Assert.Equal("NotFound", Outcome(snapshot.Match("GET"u8, "h"u8, "/public%2F..%2Fadmin/x"u8)));
    }

    [Theory]
    [InlineData("/../x")]
    [InlineData("/a/%2e%2e/..")]
    [InlineData("/a%zz")]
    public void Match_PathThatEscapesOrIsBadlyEncoded_IsInvalid(string path)
    {
        RoutingSnapshot snapshot = Compile(Route("any"));

        Assert.Equal(RouteMatchStatus.InvalidPath, snapshot.Match("GET"u8, "h"u8, Encoding.ASCII.GetBytes(path)).Status);
    }

    [Fact]
    public void Match_LongPath_IsNormalisedInAPooledBuffer()
    {
        RoutingSnapshot snapshot = Compile(Route("deep", prefix: "/a/"));
        string path = "/x/.." + string.Concat(Enumerable.Repeat("/a", 2000));

        Assert.Equal("deep", Outcome(snapshot.Match("GET"u8, "h"u8, Encoding.ASCII.GetBytes(path))));
    }

    [Fact]
    public void Match_Methods_GetBringsHead_OthersRefusedWith405AndAllow()
    {
        RoutingSnapshot snapshot = Compile(
            Route("read", prefix: "/api", methods: ["GET"]),
            Route("write", prefix: "/api", methods: ["POST", "PURGE"]),
            Route("other", prefix: "/x"));

        Assert.Equal("read", Outcome(snapshot.Match(Request("GET", "h", "/api"))));
        Assert.Equal("read", Outcome(snapshot.Match(Request("HEAD", "h", "/api"))));
        Assert.Equal("write", Outcome(snapshot.Match(Request("PURGE", "h", "/api"))));

        RouteMatch refused = snapshot.Match(Request("DELETE", "h", "/api"));
        Assert.Equal(RouteMatchStatus.MethodNotAllowed, refused.Status);
        Assert.Equal("GET, HEAD, POST, PURGE", Encoding.ASCII.GetString(refused.Allow));
        Assert.Equal(RouteMatchStatus.MethodNotAllowed, snapshot.Match(Request("BREW", "h", "/api")).Status);
        Assert.Equal("NotFound", Outcome(snapshot.Match(Request("DELETE", "h", "/nothing"))));
    }

    [Fact]
    public void Match_AnotherRouteTakesTheMethod_NoRefusal()
    {
        RoutingSnapshot snapshot = Compile(Route("get-only", prefix: "/a", methods: ["GET"]), Route("fallback"));

        Assert.Equal("fallback", Outcome(snapshot.Match(Request("POST", "h", "/a"))));
    }

    [Fact]
    public void Match_RefusalNeedsTheOtherConditions()
    {
        RoutingSnapshot snapshot = Compile(Route("get-only", prefix: "/a", methods: ["GET"]) with
        {
            Headers = [new FieldMatchConfig { Name = "x-tenant", Value = "blue" }],
        });

        Assert.Equal(RouteMatchStatus.MethodNotAllowed, snapshot.Match(Request("POST", "h", "/a", "X-Tenant: blue")).Status);
        Assert.Equal(RouteMatchStatus.NotFound, snapshot.Match(Request("POST", "h", "/a", "X-Tenant: red")).Status);
    }

    [Theory]
    [InlineData(FieldMatchKind.Equals, "blue", new[] { "X-Tenant: blue" }, true)]
    [InlineData(FieldMatchKind.Equals, "blue", new[] { "x-tenant: Blue" }, false)]
    [InlineData(FieldMatchKind.Equals, "blue", new[] { "x-tenant: red", "X-TENANT: blue" }, true)]
    [InlineData(FieldMatchKind.Equals, "blue", new string[0], false)]
    [InlineData(FieldMatchKind.Present, "", new[] { "x-tenant:" }, true)]
    [InlineData(FieldMatchKind.Present, "", new[] { "x-other: 1" }, false)]
    [InlineData(FieldMatchKind.Absent, "", new[] { "x-other: 1" }, true)]
    [InlineData(FieldMatchKind.Absent, "", new[] { "x-tenant: 1" }, false)]
    [InlineData(FieldMatchKind.Regex, "^b.u", new[] { "x-tenant: blue" }, true)]
    [InlineData(FieldMatchKind.Regex, "^b.u", new[] { "x-tenant: a blue" }, false)]
    [InlineData(FieldMatchKind.Regex, "lu", new[] { "x-tenant: blue" }, true)]
    public void Match_HeaderCondition_HoldsAsDocumented(FieldMatchKind kind, string value, string[] headers, bool expected)
    {
        RoutingSnapshot snapshot = Compile(Route("r") with { Headers = [new FieldMatchConfig { Name = "x-tenant", Kind = kind, Value = value }] });

        Assert.Equal(expected, snapshot.Match(Request("GET", "h", "/", headers)).Found);
    }

    [Theory]
    [InlineData(FieldMatchKind.Equals, "1", "?beta=1", true)]
    [InlineData(FieldMatchKind.Equals, "1", "?a=2&beta=1&c", true)]
    [InlineData(FieldMatchKind.Equals, "1", "?beta=2&beta=1", true)]
    [InlineData(FieldMatchKind.Equals, "1", "?beta=11", false)]
    [InlineData(FieldMatchKind.Equals, "1", "?xbeta=1", false)]
    [InlineData(FieldMatchKind.Equals, "1", "", false)]
    [InlineData(FieldMatchKind.Equals, "a b", "?beta=a+b", true)]
    [InlineData(FieldMatchKind.Equals, "a b", "?b%65ta=a%20b", true)]
    [InlineData(FieldMatchKind.Equals, "", "?beta", true)]
    [InlineData(FieldMatchKind.Present, "", "?beta", true)]
    [InlineData(FieldMatchKind.Present, "", "?betas=1", false)]
    [InlineData(FieldMatchKind.Absent, "", "?other=1", true)]
    [InlineData(FieldMatchKind.Absent, "", "?beta=", false)]
    [InlineData(FieldMatchKind.Regex, "^[0-9]+$", "?beta=123", true)]
    [InlineData(FieldMatchKind.Regex, "^[0-9]+$", "?beta=12a", false)]
    [InlineData(FieldMatchKind.Regex, "é", "?beta=%C3%A9", true)]
    public void Match_QueryCondition_HoldsAsDocumented(FieldMatchKind kind, string value, string query, bool expected)
    {
        RoutingSnapshot snapshot = Compile(Route("r") with { Query = [new FieldMatchConfig { Name = "beta", Kind = kind, Value = value }] });

        Assert.Equal(expected, snapshot.Match(Request("GET", "h", "/" + query)).Found);
    }

    [Fact]
    public void Match_AsteriskForm_OnlyAnyPathRoutesTakeIt()
    {
        RoutingSnapshot snapshot = Compile(Route("root", prefix: "/"), Route("any", methods: ["OPTIONS"]));

        Assert.Equal("any", Outcome(snapshot.Match(Request("OPTIONS", "h", "*"))));
    }

    [Fact]
    public void Match_ManyPrefixesOnOnePath_FindsTheLongestEvenPastTheRememberedNodes()
    {
        // 20 nested prefixes is more than the 16 nodes a search remembers on the stack.
        var routes = new List<RouteConfig>();
        string prefix = "";
        for (int i = 0; i < 20; i++)
        {
            prefix += "/" + (char)('a' + i);
            routes.Add(Route("p" + i, prefix: prefix));
        }
        RoutingSnapshot snapshot = Compile([.. routes]);

        Assert.Equal("p19", Outcome(snapshot.Match("GET"u8, "h"u8, Encoding.ASCII.GetBytes(prefix + "/z"))));
        Assert.Equal("p3", Outcome(snapshot.Match("GET"u8, "h"u8, "/a/b/c/d/z"u8)));
    }

    [Fact]
    public void Match_EmptySnapshot_NotFound()
    {
        Assert.Equal(RouteMatchStatus.NotFound, RoutingSnapshot.Empty.Match(Request("GET", "h", "/")).Status);
    }

    [Fact]
    public void Match_TypicalRequests_AllocateNothing()
    {
        RoutingSnapshot snapshot = Compile(
            Route("exact", hosts: ["api.example.com"], prefix: "/v1/", methods: ["GET"]),
            Route("wild", hosts: ["*.example.org"], regex: "^/img/.*\\.png$") with { Headers = [new FieldMatchConfig { Name = "accept", Kind = FieldMatchKind.Regex, Value = "image" }] },
            Route("query") with { Query = [new FieldMatchConfig { Name = "beta", Value = "1" }] });
        RequestHead[] requests =
        [
            Request("GET", "api.example.com", "/v1/users"),
            Request("POST", "api.example.com", "/v1/users"),
            Request("GET", "www.example.org", "/img/a.png", "Accept: image/png"),
            Request("GET", "x", "/a/./b/../c?beta=1"),
            Request("GET", "x", "/a"),
        ];
        foreach (RequestHead request in requests) snapshot.Match(request);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            foreach (RequestHead request in requests) snapshot.Match(request);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
