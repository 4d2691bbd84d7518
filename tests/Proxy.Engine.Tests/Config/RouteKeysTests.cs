using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Config;

/// <summary>The route keys: matching (path, path_regex, methods, headers, query) and actions, and the rules between them.</summary>
public sealed class RouteKeysTests
{
    // Two clusters after the route, so a route under test starts at line 1 and its third line is line 3.
    private const string Clusters = """

        [[clusters]]
        name = "c"
        destinations = [{ address = "10.0.0.1:80" }]

        [[clusters]]
        name = "d"
        destinations = [{ address = "10.0.0.2:80" }]
        """;

    private static ConfigLoadResult LoadRoute(string lines) => LoadWithListener("[[routes]]\nname = \"r\"\n" + lines + "\n" + Clusters);

    private static RouteConfig AssertRouteLoads(string lines) => Assert.Single(AssertLoads(LoadRoute(lines)).Routes);

    [Fact]
    public void LoadText_EveryMatchingKey_ReadsItsValue()
    {
        RouteConfig route = AssertRouteLoads("""
            cluster = "c"
            path_prefix = "/api"
            path_prefix_segments = true
            methods = ["GET", "PURGE"]
            headers = { "X-Tenant" = "blue", "x-debug" = { present = true }, "x-old" = { present = false }, "user-agent" = { regex = "^curl/" } }
            query = { "beta" = "1", "v" = { regex = "^[0-9]+$" } }
            """);

        Assert.Equal("/api", route.PathPrefix);
        Assert.True(route.PathPrefixSegments);
        Assert.Equal(["GET", "PURGE"], route.Methods);
        Assert.Equal(
            [
                new FieldMatchConfig { Name = "x-tenant", Kind = FieldMatchKind.Equals, Value = "blue" },
                new FieldMatchConfig { Name = "x-debug", Kind = FieldMatchKind.Present },
                new FieldMatchConfig { Name = "x-old", Kind = FieldMatchKind.Absent },
                new FieldMatchConfig { Name = "user-agent", Kind = FieldMatchKind.Regex, Value = "^curl/" },
            ],
            route.Headers);
        Assert.Equal(
            [
                new FieldMatchConfig { Name = "beta", Kind = FieldMatchKind.Equals, Value = "1" },
                new FieldMatchConfig { Name = "v", Kind = FieldMatchKind.Regex, Value = "^[0-9]+$" },
            ],
            route.Query);
    }

    [Fact]
    public void LoadText_EveryForwardingAction_ReadsItsValue()
    {
        RouteConfig route = AssertRouteLoads("""
            path_prefix = "/v1/"
            split = [{ cluster = "c", weight = 95 }, { cluster = "d", weight = 5 }]
            split_key = "cookie:session"
            strip_prefix = "/v1"
            add_prefix = "/api"
            upstream_host = "internal.example:8080"
            set_headers = { "X-Route" = "r" }
            remove_headers = ["X-Debug"]
            response_set_headers = { "cache-control" = "no-store" }
            response_remove_headers = ["server"]
            mirror = { cluster = "d", percent = 2.5, max_body = "1MiB" }
            """);

        Assert.Null(route.Cluster);
        Assert.Equal([new SplitTargetConfig { Cluster = "c", Weight = 95 }, new SplitTargetConfig { Cluster = "d", Weight = 5 }], route.Split);
        Assert.Equal(new HashKeySource(HashKeyKind.Cookie, "session"), route.SplitKey);
        Assert.Equal(("/v1", "/api", "internal.example:8080"), (route.StripPrefix, route.AddPrefix, route.UpstreamHost));
        Assert.Equal([new HeaderValueConfig("X-Route", "r")], route.SetHeaders);
        Assert.Equal(["x-debug"], route.RemoveHeaders);
        Assert.Equal([new HeaderValueConfig("cache-control", "no-store")], route.ResponseSetHeaders);
        Assert.Equal(["server"], route.ResponseRemoveHeaders);
        Assert.Equal(new MirrorConfig { Cluster = "d", Percent = 2.5, MaxBody = 1024 * 1024 }, route.Mirror);
    }

    [Fact]
    public void LoadText_RedirectAndRespond_ReadTheirTables()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[routes]]
            name = "https"
            redirect = { to = "https://{host}{path}{query}", status = 308 }

            [[routes]]
            name = "health"
            path = "/healthz"
            respond = { status = 200, body = "ok", content_type = "text/plain" }
            response_set_headers = { "cache-control" = "no-store" }
            """));

        Assert.Equal(new RedirectConfig { To = "https://{host}{path}{query}", Status = 308 }, config.Routes[0].Redirect);
        Assert.Equal(new DirectResponseConfig { Status = 200, Body = "ok", ContentType = "text/plain" }, config.Routes[1].Respond);
    }

    [Theory]
    [InlineData("path = \"/a\"\npath_prefix = \"/b\"", 5, 15, "route `r` has both `path` and `path_prefix`; a route matches the path one way: `path` (exact), `path_prefix` or `path_regex`")]
    [InlineData("path_prefix = \"/b\"\npath_regex = \"^/c\"", 5, 14, "route `r` has both `path_prefix` and `path_regex`; a route matches the path one way: `path` (exact), `path_prefix` or `path_regex`")]
    [InlineData("path_prefix_segments = true", 4, 24, "route `r` has `path_prefix_segments` but no `path_prefix`")]
    [InlineData("path = \"/a/../b\"", 4, 8, "`path` = \"/a/../b\" would never match: requests are matched after normalisation, which makes it \"/b\"; write that")]
    [InlineData("path_prefix = \"/%41pi//\"", 4, 15, "`path_prefix` = \"/%41pi//\" would never match: requests are matched after normalisation, which makes it \"/Api/\"; write that")]
    [InlineData("path_prefix = \"/a%2fb\"", 4, 15, "`path_prefix` = \"/a%2fb\" would never match: requests are matched after normalisation, which makes it \"/a%2Fb\"; write that")]
    [InlineData("path = \"/../x\"", 4, 8, "`path` = \"/../x\" has a \"..\" that climbs above \"/\"")]
    [InlineData("path = \"/a%zz\"", 4, 8, "`path` = \"/a%zz\" has a '%' that is not followed by two hex digits")]
    [InlineData("path = \"a\"", 4, 8, "`path` = \"a\" must start with '/'")]
    [InlineData("path_regex = \"^/(a\"", 4, 14, "`path_regex` = \"^/(a\" does not compile: Invalid pattern '^/(a' at offset 4. Not enough )'s.")]
    public void LoadText_BadPathKeys_SayWhatIsWrong(string lines, int line, int column, string message)
    {
        AssertSingleError(LoadRoute("cluster = \"c\"\n" + lines), line, column, message);
    }

    [Fact]
    public void LoadText_RegexWithBackreference_SaysTheLinearEngineCannotRunIt()
    {
        ConfigError error = Assert.Single(LoadRoute("cluster = \"c\"\npath_regex = \"^/(a)\\\\1\"").Errors);

        Assert.Equal((4, 14), (error.Line, error.Column));
        Assert.StartsWith("`path_regex` = \"^/(a)\\1\" uses what the linear-time regex engine cannot run (backreferences, lookarounds, atomic groups)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("methods = [\"get\"]", 12, "`methods` entry \"get\" is not GET: methods are case-sensitive; write \"GET\"")]
    [InlineData("methods = [\"GE T\"]", 12, "`methods` entry \"GE T\" is not a method name (letters, digits and !#$%&'*+-.^_`|~ only)")]
    [InlineData("methods = [\"CONNECT\"]", 12, "`methods` entry \"CONNECT\" is refused before routing: tunnelling is not supported")]
    [InlineData("methods = [\"GET\", \"GET\"]", 19, "`methods` lists \"GET\" twice")]
    [InlineData("methods = []", 11, "`methods` is empty; leave it out of the route to allow any method")]
    public void LoadText_BadMethods_SayWhatIsWrong(string line, int column, string message)
    {
        AssertSingleError(LoadRoute("cluster = \"c\"\n" + line), 4, column, message);
    }

    [Theory]
    [InlineData("headers = { \"x a\" = \"b\" }", 13, "`headers` entry \"x a\" is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)")]
    [InlineData("headers = { \"X-A\" = \"1\", \"x-a\" = \"2\" }", 26, "`headers` lists \"x-a\" twice (header names are case-insensitive)")]
    [InlineData("headers = { \"x-a\" = 1 }", 21, "`headers` entry \"x-a\" must be a value (\"blue\"), { present = true }, { present = false } or { regex = \"...\" }, not an integer")]
    [InlineData("headers = { \"x-a\" = { present = true, regex = \"a\" } }", 21, "`headers` entry \"x-a\" must be a value (\"blue\"), { present = true }, { present = false } or { regex = \"...\" }, not a table with 2 keys")]
    [InlineData("headers = { \"x-a\" = { presnt = true } }", 23, "unknown key `presnt` in `headers` entry \"x-a\"; did you mean `present`? (expected one of: present, regex)")]
    [InlineData("headers = { \"x-a\" = { regex = \"(\" } }", 31, "`regex` = \"(\" does not compile: Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData("headers = {}", 11, "`headers` is empty; leave it out of the route to match any request")]
    [InlineData("query = { \"\" = \"1\" }", 11, "`query` has an empty parameter name")]
    public void LoadText_BadHeaderOrQueryConditions_SayWhatIsWrong(string line, int column, string message)
    {
        AssertSingleError(LoadRoute("cluster = \"c\"\n" + line), 4, column, message);
    }

    [Theory]
    [InlineData("", 2, 8, "route `r` needs `cluster` (or `split` to share its traffic, `redirect` or `respond` to answer by itself)")]
    [InlineData("cluster = \"c\"\nsplit = [{ cluster = \"d\", weight = 1 }]", 4, 9, "route `r` has both `cluster` and `split`; list the cluster in the split instead, with its weight")]
    [InlineData("split = [{ cluster = \"c\", weight = 0 }]", 3, 36, "`weight` must be between 1 and 10000, not 0")]
    [InlineData("split = [{ cluster = \"c\" }]", 3, 10, "`weight` is required in a `split` entry")]
    [InlineData("split = [{ cluster = \"e\", weight = 1 }]", 3, 22, "route `r` uses cluster `e`, which is not defined; did you mean `c`? defined clusters: c, d")]
    [InlineData("split = [{ cluster = \"c\", weight = 1 }, { cluster = \"c\", weight = 2 }]", 3, 53, "`split` lists cluster `c` twice; give it one entry with the sum of the weights")]
    [InlineData("split = []", 3, 9, "`split` must list at least one cluster, like { cluster = \"api\", weight = 95 }")]
    [InlineData("cluster = \"c\"\nsplit_key = \"header:x-user\"", 4, 13, "route `r` has `split_key` but no `split`")]
    [InlineData("split = [{ cluster = \"c\", weight = 1 }]\nsplit_key = \"ip\"", 4, 13, "`split_key` = \"ip\" is not one of: header:NAME, cookie:NAME, query:NAME, client_ip, path")]
    [InlineData("split = [{ cluster = \"c\", weight = 1 }]\nsplit_key = \"query:a b\"", 4, 13, "`split_key` = \"query:a b\" needs a name after \"query:\" made of letters, digits and -_.!#$%&'*+^`|~")]
    [InlineData("cluster = \"c\"\nmirror = { cluster = \"c\" }", 4, 22, "route `r` mirrors to its own cluster `c`, which would serve every copied request twice")]
    [InlineData("cluster = \"c\"\nmirror = { cluster = \"d\", percent = 0 }", 4, 37, "`percent` must be above 0 and at most 100, not 0")]
    [InlineData("cluster = \"c\"\nmirror = { cluster = \"d\", percent = 100.5 }", 4, 37, "`percent` must be above 0 and at most 100, not 100.5")]
    [InlineData("cluster = \"c\"\nmirror = { cluster = \"x\" }", 4, 22, "route `r` uses cluster `x`, which is not defined; did you mean `c`? defined clusters: c, d")]
    public void LoadText_BadClusterChoice_SaysWhatIsWrong(string lines, int line, int column, string message)
    {
        AssertSingleError(LoadRoute(lines), line, column, message);
    }

    [Theory]
    [InlineData("redirect = { to = \"https://{host}{path}\", status = 300 }", 52, "`status` must be 301 or 308 (permanent), 302 or 307 (temporary; 307 and 308 keep the method), or 303 (see other), not 300")]
    [InlineData("redirect = { to = \"https://{hostname}/\", status = 301 }", 19, "`to` = \"https://{hostname}/\" has the placeholder {hostname}; the placeholders are {scheme}, {host}, {path} and {query}")]
    [InlineData("redirect = { to = \"https://{host\", status = 301 }", 19, "`to` = \"https://{host\" has a '{' without its '}'")]
    [InlineData("redirect = { to = \"/a b\", status = 301 }", 19, "`to` = \"/a b\" has a space, control or non-ASCII character; write it percent-encoded")]
    [InlineData("respond = { status = 600 }", 22, "`status` must be between 100 and 599, not 600")]
    [InlineData("respond = { status = 204, body = \"x\" }", 34, "`respond` status 204 never carries a body (RFC 9110 §6.4.1); remove `body`")]
    [InlineData("respond = { status = 200, content_type = \"text/html\" }", 42, "`respond` has `content_type` but no `body`")]
    [InlineData("respond = { body = \"x\" }", 11, "`status` is required in `respond`")]
    public void LoadText_BadRedirectOrRespond_SaysWhatIsWrong(string line, int column, string message)
    {
        ConfigLoadResult result = LoadRoute(line);
        ConfigError error = result.Errors.First(error => error.Line == 3);
        Assert.Equal((3, column, message), (error.Line, error.Column, error.Message));
    }

    [Theory]
    [InlineData("cluster", "cluster = \"c\"", 11)]
    [InlineData("strip_prefix", "strip_prefix = \"/a\"", 16)]
    [InlineData("set_headers", "set_headers = { a = \"b\" }", 15)]
    [InlineData("mirror", "mirror = { cluster = \"d\" }", 10)]
    public void LoadText_AnsweringRouteWithForwardingKey_SaysTheKeyHasNoUse(string key, string line, int column)
    {
        AssertSingleError(LoadRoute("respond = { status = 200 }\n" + line), 4, column,
            $"route `r` answers by itself (`respond`), so `{key}` has no use; remove it, or move it to a route that forwards");
    }

    [Fact]
    public void LoadText_RedirectAndRespondTogether_SaysItCanAnswerOneWay()
    {
        AssertSingleError(LoadRoute("redirect = { to = \"/x\", status = 302 }\nrespond = { status = 200 }"), 4, 11,
            "route `r` has both `redirect` and `respond`; it can answer one way");
    }

    [Theory]
    [InlineData("path_prefix = \"/v1/\"\nstrip_prefix = \"/v2\"", 4, 16, "`strip_prefix` = \"/v2\" is not whole segments at the start of `path_prefix` = \"/v1/\", so the route's requests would keep their path")]
    [InlineData("path_prefix = \"/v1x\"\nstrip_prefix = \"/v1\"", 4, 16, "`strip_prefix` = \"/v1\" is not whole segments at the start of `path_prefix` = \"/v1x\", so the route's requests would keep their path")]
    [InlineData("strip_prefix = \"/v1/\"", 3, 16, "`strip_prefix` = \"/v1/\" ends with '/'; write \"/v1\": prefixes are stripped and added on segment boundaries, and the path keeps its own slash")]
    [InlineData("add_prefix = \"/\"", 3, 14, "`add_prefix` = \"/\" is just \"/\"; leave the key out")]
    [InlineData("upstream_host = \"a b\"", 3, 17, "`upstream_host` = \"a b\" has ` `; host names may use only letters, digits, '-' and '.'")]
    [InlineData("upstream_host = \"a:0\"", 3, 17, "`upstream_host` = \"a:0\" has the port `0`; a port is a number from 1 to 65535")]
    [InlineData("set_headers = { host = \"a\" }", 3, 17, "`set_headers` entry \"host\" is chosen with `upstream_host`")]
    [InlineData("set_headers = { \"Content-Length\" = \"1\" }", 3, 17, "`set_headers` entry \"Content-Length\" is a framing or hop-by-hop header, which the proxy manages itself")]
    [InlineData("set_headers = { a = \"x\\r\\ny: z\" }", 3, 21, "`set_headers` value of \"a\" has a line break or NUL, which would end the header")]
    [InlineData("remove_headers = [\"Connection\"]", 3, 19, "`remove_headers` entry \"Connection\" is a framing or hop-by-hop header, which the proxy manages itself")]
    [InlineData("set_headers = { a = \"1\" }\nremove_headers = [\"A\"]", 4, 18, "route `r` both sets and removes \"a\"; `set_headers` already replaces what the message had")]
    public void LoadText_BadRewrite_SaysWhatIsWrong(string lines, int line, int column, string message)
    {
        AssertSingleError(LoadRoute("cluster = \"c\"\n" + lines), line + 1, column, message);
    }
}
