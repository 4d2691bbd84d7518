using System.Text;
using Proxy.Engine.Tracing;

namespace Proxy.Engine.Tests.Tracing;

public sealed class RequestIdTests
{
    [Theory]
    [InlineData("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")]        // UUID
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736")]            // hex
    [InlineData("YWJjZGVm+/==")]                                // base64
    [InlineData("svc:req_1.2@edge")]
    [InlineData("x")]
    public void IsValid_CommonShapes_Kept(string value) => Assert.True(RequestId.IsValid(Encoding.ASCII.GetBytes(value)));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("back\\slash")]
    [InlineData("comma,list")]
    [InlineData("semi;colon")]
    [InlineData("tab\t")]
    [InlineData("<script>")]
    [InlineData("caf\u00e9")]
    public void IsValid_UnsafeOrEmpty_Replaced(string value) => Assert.False(RequestId.IsValid(Encoding.UTF8.GetBytes(value)));

    [Fact]
    public void IsValid_AtMaxLength_Kept_OneByteOver_Replaced()
    {
        Assert.True(RequestId.IsValid(Encoding.ASCII.GetBytes(new string('a', RequestId.MaxLength))));
        Assert.False(RequestId.IsValid(Encoding.ASCII.GetBytes(new string('a', RequestId.MaxLength + 1))));
    }

    [Fact]
    public void Generate_Writes32LowercaseHexDigits_ThatAreValid()
    {
        var value = new byte[RequestId.GeneratedLength];

        RequestId.Generate(value, new Random(3));

        Assert.Matches("^[0-9a-f]{32}$", Encoding.ASCII.GetString(value));
        Assert.True(RequestId.IsValid(value));
    }
}
