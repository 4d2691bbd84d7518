using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using static Proxy.Engine.Tests.Routing.TestRoutes;

namespace Proxy.Engine.Tests.Routing;

/// <summary>
/// Random route sets and random requests, drawn from small alphabets so that routes overlap and requests hit
/// them: the compiled matcher must give the answer of <see cref="ReferenceMatcher"/>, which tries every route,
/// on every case. Deterministic: a fixed seed, the failing case printed whole.
/// </summary>
public sealed class RouteMatcherPropertyTests
{
    private const int RouteSets = 2000;
    private const int RequestsPerSet = 25;

    private static readonly string[] ExactHosts = ["a.com", "b.a.com", "x.b.a.com", "c.org", "[::1]"];
    private static readonly string[] Wildcards = ["*.a.com", "*.b.a.com", "*.org"];
    private static readonly string[] RequestHosts = ["a.com", "B.a.com", "x.b.a.com", "y.x.b.a.com", "c.org", "d.c.org", "a.com.", "a.com:8080", "[::1]:80", "other", ""];
    private static readonly string[] Segments = ["a", "b", "api", "v1", "A"];
    private static readonly string[] RequestSegments = ["a", "b", "api", "v1", "apix", "A", ".", "..", "", "%61", "%41", "%2F", "%2e", "%2E%2e", "x"];
    private static readonly string[] Regexes = ["^/a", "b$", "^/api/v1", "a/b", "^/$", "[A-Z]", "%2F", "^/a|b", "^/ap?i", "^/a(p|b)", "^\\/v1", "^/A", "^/api/v1/?$", "^/a(pi|b)/", "^/a[|]", "^/a(b)|/v"];
    private static readonly string[] Methods = ["GET", "POST", "DELETE", "PURGE", "HEAD"];

    [Fact]
    public void Match_RandomRoutesAndRequests_AgreesWithTryingEveryRoute()
    {
        var random = new Random(20250601);
        int cases = 0;
        var outcomes = new Dictionary<string, int>();
        for (int set = 0; set < RouteSets; set++)
        {
            RouteConfig[] routes = [.. Enumerable.Range(0, random.Next(1, 13)).Select(i => RandomRoute(random, i))];
            RoutingSnapshot snapshot = Compile(routes);
            for (int r = 0; r < RequestsPerSet; r++)
            {
                (string method, string host, string target, (string, string)[] headers) = RandomRequest(random);
                string expected = ReferenceMatcher.Match(routes, method, host, target, headers);
                RouteMatch match = snapshot.Match(Request(method, host, target, [.. headers.Select(h => $"{h.Item1}: {h.Item2}")]));
                string actual = match.Status == RouteMatchStatus.MethodNotAllowed ? "MethodNotAllowed: " + Encoding.ASCII.GetString(match.Allow) : Outcome(match);
                if (actual != expected)
                {
                    Assert.Fail($"set {set}, request {r}: {method} {target} Host: {host} {string.Join(" ", headers)}\n" +
                                $"expected {expected}, matcher said {actual}\nroutes:\n{string.Join("\n", routes.Select(Describe))}");
                }
                cases++;
                string kind = expected.StartsWith("MethodNotAllowed", StringComparison.Ordinal) ? "405" : expected is "NotFound" or "InvalidPath" ? expected : "Found";
                outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
            }
        }

        Assert.Equal(RouteSets * RequestsPerSet, cases);
        // The generators must reach every outcome often, or the agreement says little.
        foreach (string kind in new[] { "Found", "NotFound", "405", "InvalidPath" })
        {
            Assert.True(outcomes.GetValueOrDefault(kind) > cases / 100, $"{kind}: {outcomes.GetValueOrDefault(kind)} of {cases}");
        }
    }

    [Fact]
    public void Match_ManyRoutesOverAWideAlphabet_AgreesWithTryingEveryRoute()
    {
        // Path tree nodes with many children, whose first bytes lie on both sides of 64 (the two halves of a node's
        // set of first bytes), and regexes keyed by their literal prefixes among them.
        const string Alphabet = "/!$&'()*+,-.0123456789:;=@ABCXYZ_abcxyz~";
        var random = new Random(20251124);
        var outcomes = new Dictionary<string, int>();
        for (int set = 0; set < 12; set++)
        {
            var routes = new List<RouteConfig>();
            for (int i = 0; i < 300; i++)
            {
                // Two bytes at least after the '/', so that most requests are taken by few routes and some by none.
                string path = "/" + RandomText(random, Alphabet, random.Next(2, 6));
                RouteConfig route = random.Next(6) switch
                {
                    0 => TestRoutes.Route("r" + i, path: path),
                    1 => TestRoutes.Route("r" + i, regex: "^" + System.Text.RegularExpressions.Regex.Escape(path) + "[0-9]"),
                    2 => TestRoutes.Route("r" + i, prefix: path, segments: true),
                    _ => TestRoutes.Route("r" + i, prefix: path),
                };
                routes.Add(random.Next(4) == 0 ? route with { Methods = ["POST"] } : route);
            }
            // Configured paths are in normal form: leave out the routes that are not, as the loader would refuse them.
            RouteConfig[] valid = [.. routes.Where(route => route.Path is null && route.PathPrefix is null || IsNormal(route.Path ?? route.PathPrefix!))];
            RoutingSnapshot snapshot = Compile(valid);
            for (int r = 0; r < 400; r++)
            {
                RouteConfig near = valid[random.Next(valid.Length)];
                string basis = random.Next(5) == 0 ? "/" + RandomText(random, Alphabet, 3) : near.Path ?? near.PathPrefix ?? "/" + RandomText(random, Alphabet, 3);
                string target = random.Next(3) switch
                {
                    0 => basis,
                    1 => basis + RandomText(random, Alphabet, random.Next(1, 4)),
                    _ => basis[..random.Next(1, basis.Length + 1)] + RandomText(random, Alphabet, random.Next(0, 3)),
                };
                if (!IsNormal(target)) continue;
                string method = random.Next(4) == 0 ? "POST" : "GET";
                string expected = ReferenceMatcher.Match(valid, method, "h", target, []);
                RouteMatch match = snapshot.Match(Request(method, "h", target));
                string actual = match.Status == RouteMatchStatus.MethodNotAllowed ? "MethodNotAllowed: " + Encoding.ASCII.GetString(match.Allow) : Outcome(match);
                Assert.True(expected == actual, $"set {set}: {method} {target}: expected {expected}, matcher said {actual}");
                string kind = expected.StartsWith("MethodNotAllowed", StringComparison.Ordinal) ? "405" : expected == "NotFound" ? expected : "Found";
                outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
            }
        }
        // Every outcome often, or the agreement says little.
        int cases = outcomes.Values.Sum();
        Assert.True(outcomes.Count == 3 && outcomes.Values.All(count => count > cases / 20), string.Join(", ", outcomes.Select(pair => $"{pair.Key} {pair.Value}")));

        static bool IsNormal(string path) => ReferenceMatcher.Normalize(path) == path;
    }

    private static string RandomText(Random random, string alphabet, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    private static RouteConfig RandomRoute(Random random, int index)
    {
        string[] hosts = random.Next(3) switch
        {
            0 => [],
            1 => [Pick(random, ExactHosts)],
            _ => [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(2) == 0 ? Pick(random, Wildcards) : Pick(random, ExactHosts)).Distinct()],
        };
        var route = new RouteConfig { Name = "r" + index, Cluster = "c", Hosts = hosts, Priority = random.Next(6) == 0 ? 1 : 0 };
        route = random.Next(5) switch
        {
            0 => route,
            1 => route with { Path = RandomPath(random) },
            2 => route with { PathRegex = Pick(random, Regexes) },
            _ => route with { PathPrefix = RandomPath(random), PathPrefixSegments = random.Next(2) == 0 },
        };
        if (random.Next(3) == 0) route = route with { Methods = [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, Methods)).Distinct()] };
        if (random.Next(5) == 0)
        {
            route = route with
            {
                Headers = [random.Next(4) switch
                {
                    0 => new FieldMatchConfig { Name = "x-t", Kind = FieldMatchKind.Equals, Value = "blue" },
                    1 => new FieldMatchConfig { Name = "x-t", Kind = FieldMatchKind.Present },
                    2 => new FieldMatchConfig { Name = "x-t", Kind = FieldMatchKind.Absent },
                    _ => new FieldMatchConfig { Name = "x-t", Kind = FieldMatchKind.Regex, Value = "^bl" },
                }],
            };
        }
        if (random.Next(6) == 0)
        {
            route = route with
            {
                Query = [random.Next(3) switch
                {
                    0 => new FieldMatchConfig { Name = "beta", Kind = FieldMatchKind.Equals, Value = "1" },
                    1 => new FieldMatchConfig { Name = "beta", Kind = FieldMatchKind.Present },
                    _ => new FieldMatchConfig { Name = "beta", Kind = FieldMatchKind.Absent },
                }],
            };
        }
        return route;
    }

    // A configured path is always in normal form (the loader refuses others).
    private static string RandomPath(Random random)
    {
        string path = string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => "/" + Pick(random, Segments)));
        if (path.Length == 0 || random.Next(4) == 0) path += "/";
        return path;
    }

    private static (string Method, string Host, string Target, (string, string)[] Headers) RandomRequest(Random random)
    {
        string path = string.Concat(Enumerable.Range(0, random.Next(0, 5)).Select(_ => "/" + Pick(random, RequestSegments)));
        if (path.Length == 0 || random.Next(4) == 0) path += "/";
        if (random.Next(40) == 0) path += "%z";
        string query = random.Next(3) switch
        {
            0 => "",
            1 => "?" + Pick(random, ["beta=1", "beta=2", "b%65ta=1", "beta", "a=1&beta=1", "betas=1", "beta=1&beta=2"]),
            _ => "?x=1",
        };
        (string, string)[] headers = random.Next(3) switch
        {
            0 => [],
            1 => [("X-T", Pick(random, ["blue", "red", "bl", "Blue"]))],
            _ => [("x-other", "1")],
        };
        return (Pick(random, Methods), Pick(random, RequestHosts), path + query, headers);
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Describe(RouteConfig route) =>
        $"  {route.Name}: hosts=[{string.Join(",", route.Hosts)}] path={route.Path} prefix={route.PathPrefix}{(route.PathPrefixSegments ? " (segments)" : "")} " +
        $"regex={route.PathRegex} methods=[{string.Join(",", route.Methods)}] priority={route.Priority} " +
        $"headers=[{string.Join(",", route.Headers.Select(h => $"{h.Name} {h.Kind} {h.Value}"))}] query=[{string.Join(",", route.Query.Select(q => $"{q.Name} {q.Kind} {q.Value}"))}]";
}
