using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

public class ContentLengthTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData("007", 7)]
    [InlineData("1048576", 1048576)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("5,5", 5)]
    [InlineData("5, 5", 5)]
    [InlineData("5 ,\t5 , 5", 5)]
    [InlineData("5,05", 5)]
    public void TryParse_DigitsOrListOfEqualValues_ReturnsTheValue(string value, long expected)
    {
        Assert.True(ContentLength.TryParse(Bytes(value), out long length));
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("5a")]
    [InlineData("0x5")]
    [InlineData("5.0")]
    [InlineData("5 5")]
    [InlineData("5,")]
    [InlineData(",5")]
    [InlineData("5,,5")]
    [InlineData("5,6")]
    [InlineData("5, 5, 6")]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551616")]
    [InlineData("\"5\"")]
    [InlineData("\u0665")]
    public void TryParse_AnythingElse_ReturnsFalse(string value)
    {
        Assert.False(ContentLength.TryParse(Bytes(value), out _));
    }

    [Theory]
    [InlineData("5,6", RejectReason.ConflictingContentLength)]
    [InlineData("5, 6, x", RejectReason.InvalidContentLength)]
    [InlineData("x", RejectReason.InvalidContentLength)]
    [InlineData("5", RejectReason.None)]
    public void Parse_InvalidValues_TellsMalformedFromConflicting(string value, RejectReason reason)
    {
        Assert.Equal(reason, ContentLength.Parse(Bytes(value), out _));
    }
}
