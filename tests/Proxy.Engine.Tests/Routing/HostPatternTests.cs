using System.Text;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Tests.Routing;

public sealed class HostPatternTests
{
    [Theory]
    [InlineData("api.example.com", "api.example.com", true)]
    [InlineData("api.example.com", "API.Example.COM", true)]
    [InlineData("api.example.com", "api.example.co", false)]
    [InlineData("api.example.com", "xapi.example.com", false)]
    [InlineData("*.example.org", "www.example.org", true)]
    [InlineData("*.example.org", "a.b.example.org", true)]
    [InlineData("*.example.org", "WWW.EXAMPLE.ORG", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.example.org", ".example.org", false)]
    [InlineData("*.example.org", "wwwexample.org", false)]
    public void Matches_ExactAndWildcard_CaseInsensitively(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, new HostPattern(pattern).Matches(Encoding.ASCII.GetBytes(host)));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("example.com:8080", "example.com")]
    [InlineData("[::1]:443", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("", "")]
    public void StripPort_RemovesOnlyAPort(string authority, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(HostPattern.StripPort(Encoding.ASCII.GetBytes(authority))));
    }
}
