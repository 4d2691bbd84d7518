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
    [InlineData("922337203685477580", 922337203685477580)]
    [InlineData("9223372036854775806", long.MaxValue - 1)]
    [InlineData("09223372036854775807", long.MaxValue)]
    [InlineData("00000000000000000000000000000001", 1)]
    [InlineData("9223372036854775807, 9223372036854775807", long.MaxValue)]
    public void TryParse_ValuesUpToLongMaxValue_Accepted(string value, long expected)
    {
        Assert.True(ContentLength.TryParse(Bytes(value), out long length));
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData("9223372036854775809")]
    [InlineData("9223372036854775810")]
    [InlineData("9223372036854775817")]
    [InlineData("92233720368547758070")]
    [InlineData("99999999999999999999")]
    [InlineData("5, 9223372036854775808")]
    public void TryParse_ValuesPastLongMaxValue_ReturnFalse(string value)
    {
        Assert.False(ContentLength.TryParse(Bytes(value), out _));
        Assert.Equal(RejectReason.InvalidContentLength, ContentLength.Parse(Bytes(value), out _));
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
