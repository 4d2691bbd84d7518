using System.Text;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Tests.Routing;

public sealed class RegexPrefixTests
{
    [Theory]
    [InlineData("^/api/v[0-9]+", "/api/v")]
    [InlineData("^/re1/[0-9]+/(edit|view)$", "/re1/")]      // '|' inside a group: the prefix before it stands
    [InlineData("^/a|/b", "")]                              // a top-level '|': either branch may match
    [InlineData("^/a[|]", "/a")]
    [InlineData("^/a\\|b", "/a|b")]                        // an escaped '|' is a literal
    [InlineData("^/a(b)|c", "")]
    [InlineData("^/re1/[0-9]+/edit$", "/re1/")]
    [InlineData("^/ap?i", "/a")]
    [InlineData("^/a+", "/")]
    [InlineData("^/a{2}", "/")]
    [InlineData("^\\/v1\\.json", "/v1.json")]
    [InlineData("^/v1\\d", "/v1")]
    [InlineData("^/x.y", "/x")]
    [InlineData("^/(?i)api", "/")]
    [InlineData("/api", "")]
    [InlineData("(?i)^/api", "")]
    [InlineData("^$", "")]
    public void LiteralPrefix_TakesOnlyWhatTheRegexForces(string pattern, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(RegexPrefix.LiteralPrefix(pattern)));
    }
}
