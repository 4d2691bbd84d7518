using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

public class HostSyntaxTests
{
    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("1::")]
    [InlineData("1:2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7::")]
    [InlineData("::2:3:4:5:6:7:8")]
    [InlineData("2001:db8::ff00:42:8329")]
    [InlineData("::ffff:192.0.2.128")]
    [InlineData("1:2:3:4:5:6:1.2.3.4")]
    [InlineData("ABCD:ef01::")]
    public void IsIPv6_ValidAddresses_True(string address)
    {
        Assert.True(HostSyntax.IsIPv6(Bytes(address)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData(":1")]
    [InlineData("1:")]
    [InlineData("1:2")]
    [InlineData(":::")]
    [InlineData("1::2::3")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("12345::")]
    [InlineData("g::")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3.4::")]
    [InlineData("::1.2.3")]
    [InlineData("::256.1.1.1")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("fe80::1%25eth0")]
    public void IsIPv6_InvalidAddresses_False(string address)
    {
        Assert.False(HostSyntax.IsIPv6(Bytes(address)));
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("256.0.0.0", false)]
    [InlineData("01.0.0.0", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("1..3.4", false)]
    [InlineData("1.2.3.", false)]
    public void IsIPv4_DottedQuad_TrueOnlyForFourOctetsUpTo255WithoutLeadingZeros(string address, bool valid)
    {
        Assert.Equal(valid, HostSyntax.IsIPv4(Bytes(address)));
    }

    [Theory]
    [InlineData("example.com:443", true, true)]
    [InlineData("example.com", true, false)]
    [InlineData("example.com", false, true)]
    [InlineData("[::1]:0", true, true)]
    [InlineData("[::1]", true, false)]
    [InlineData("example.com:65535", false, true)]
    [InlineData("example.com:65536", false, false)]
    public void IsValidAuthority_PortPresenceAndRange_DecideValidity(string authority, bool requirePort, bool valid)
    {
        Assert.Equal(valid, HostSyntax.IsValidAuthority(Bytes(authority), requirePort));
    }
}
