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

    [Fact]
    public void StripPort_RandomAuthorities_CutsAtTheLastColonWithNoBracketAfterIt()
    {
        // The port search reads eight bytes at a time from the end: every length and place of ':' and ']'.
        var random = new Random(13);
        for (int sample = 0; sample < 20_000; sample++)
        {
            char[] chars = [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(12) switch { 0 => ':', 1 => ']', 2 => '[', _ => (char)('a' + random.Next(26)) })];
            string authority = new(chars);
            int colon = authority.LastIndexOf(':');
            string expected = colon >= 0 && authority.LastIndexOf(']') < colon ? authority[..colon] : authority;

            Assert.Equal(expected, Encoding.ASCII.GetString(HostPattern.StripPort(Encoding.ASCII.GetBytes(authority))));
        }
    }
}
