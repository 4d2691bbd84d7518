using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Tests.Config;

public sealed class SpellingTests
{
    private static readonly string[] Keys = ["max_request_head", "max_headers", "max_request_body", "max_connections", "workers"];

    [Theory]
    [InlineData("max_header", "max_headers")]
    [InlineData("max_haeders", "max_headers")]
    [InlineData("MaxConnections", "max_connections")]
    [InlineData("max-request-body", "max_request_body")]
    [InlineData("worker", "workers")]
    public void Closest_NearMiss_SuggestsTheKey(string typed, string expected)
    {
        Assert.Equal(expected, Spelling.Closest(typed, Keys));
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("colour")]
    [InlineData("w")]
    public void Closest_UnrelatedWord_SuggestsNothing(string typed)
    {
        Assert.Null(Spelling.Closest(typed, Keys));
    }
}
