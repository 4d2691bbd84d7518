using System.Net;
using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Tests.Config;

public sealed class EndpointParserTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("[::]:443", "::", 443)]
    [InlineData("255.255.255.255:65535", "255.255.255.255", 65535)]
    public void TryParseListen_IpAndPort_ReturnsTheEndpoint(string text, string address, int port)
    {
        Assert.True(EndpointParser.TryParseListen(text, out IPEndPoint? endpoint, out string problem), problem);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:http")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1:080800")]
    [InlineData("010.0.0.1:80")]
    [InlineData("1.2.3:80")]
    [InlineData("[::1]")]
    [InlineData("[::1:80")]
    [InlineData("[127.0.0.1]:80")]
    [InlineData("example.com:80")]
    public void TryParseListen_NotAnIpEndpoint_Fails(string text)
    {
        Assert.False(EndpointParser.TryParseListen(text, out _, out string problem));
        Assert.NotEmpty(problem);
    }

    [Theory]
    [InlineData("10.0.0.5:8080", "10.0.0.5", 8080)]
    [InlineData("[2001:db8::1]:443", "2001:db8::1", 443)]
    [InlineData("api.internal:80", "api.internal", 80)]
    [InlineData("localhost:9000", "localhost", 9000)]
    [InlineData("my_service:80", "my_service", 80)]
    public void TryParseDestination_HostAndPort_SplitsThem(string text, string host, int port)
    {
        Assert.True(EndpointParser.TryParseDestination(text, out string parsedHost, out int parsedPort, out string problem), problem);
        Assert.Equal((host, port), (parsedHost, parsedPort));
    }

    [Theory]
    [InlineData("api.internal", "has no port; write it like \"10.0.0.5:8080\"")]
    [InlineData("api.internal:0", "has the port `0`; a port is a number from 1 to 65535")]
    [InlineData("1.2.3.4.5:80", "has `1.2.3.4.5`, which is not an IPv4 address (four numbers 0-255, like 10.0.0.5)")]
    [InlineData("[api]:80", "has `[api]`, which is not an IPv6 address")]
    [InlineData("api internal:80", "has the host `api internal`, which has ` `; host names may use only letters, digits, '-' and '.'")]
    [InlineData("2001:db8::1:443", "looks like an IPv6 address without brackets; write it like \"[::1]:8080\"")]
    public void TryParseDestination_Malformed_SaysWhy(string text, string expected)
    {
        Assert.False(EndpointParser.TryParseDestination(text, out _, out _, out string problem));
        Assert.Equal(expected, problem);
    }
}
