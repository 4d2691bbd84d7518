using System.Text;
using Proxy.Engine.Forwarding;

namespace Proxy.Engine.Tests.Forwarding;

public sealed class UnderscoredFieldNamesTests
{
    [Theory]
    [InlineData("Content_Length")]
    [InlineData("content_length")]
    [InlineData("CONTENT_LENGTH")]
    [InlineData("Transfer_Encoding")]
    [InlineData("X_Forwarded_For")]
    [InlineData("X-Forwarded_For")]
    [InlineData("x_forwarded_host")]
    [InlineData("X_Forwarded_Proto")]
    public void MimicsOwnedField_UnderscoredSpellingOfAnOwnedField_True(string name) =>
        Assert.True(UnderscoredFieldNames.MimicsOwnedField(Encoding.ASCII.GetBytes(name)));

    [Theory]
    [InlineData("Content-Length")]          // the real field: handled by the parser, not a lookalike
    [InlineData("X-Forwarded-For")]
    [InlineData("X_Api_Key")]
    [InlineData("Content_Type")]
    [InlineData("Content_Lengthy")]
    [InlineData("Content__ength")]
    [InlineData("Transfer_Encodin_")]
    [InlineData("")]
    public void MimicsOwnedField_AnythingElse_False(string name) =>
        Assert.False(UnderscoredFieldNames.MimicsOwnedField(Encoding.ASCII.GetBytes(name)));
}
