namespace Proxy.Health.Tests;

public class RetryConditionsTests
{
    [Theory]
    [InlineData(RequestOutcome.ConnectFailure, 0, true)]
    [InlineData(RequestOutcome.ConnectTimeout, 0, true)]
    [InlineData(RequestOutcome.Reset, 0, true)]
    [InlineData(RequestOutcome.Status5xx, 502, true)]
    [InlineData(RequestOutcome.Status5xx, 503, true)]
    [InlineData(RequestOutcome.Status5xx, 504, true)]
    [InlineData(RequestOutcome.Status5xx, 500, false)]
    [InlineData(RequestOutcome.ResponseHeaderTimeout, 0, false)]
    [InlineData(RequestOutcome.IdleTimeout, 0, false)]
    [InlineData(RequestOutcome.InvalidResponse, 0, false)]
    [InlineData(RequestOutcome.Cancelled, 0, false)]
    [InlineData(RequestOutcome.Success, 200, false)]
    public void Default_MatchesConfigReferenceList(RequestOutcome outcome, int status, bool expected)
    {
        Assert.Equal(expected, RetryConditions.Default.Matches(outcome, status));
    }

    [Fact]
    public void Parse_Timeout_CoversResponseHeaderAndIdleTimeouts()
    {
        var conditions = RetryConditions.Parse(["timeout"]);

        Assert.True(conditions.Matches(RequestOutcome.ResponseHeaderTimeout, 0));
        Assert.True(conditions.Matches(RequestOutcome.IdleTimeout, 0));
        Assert.False(conditions.Matches(RequestOutcome.ConnectTimeout, 0));
    }

    [Fact]
    public void Parse_5xx_CoversEveryServerStatus()
    {
        var conditions = RetryConditions.Parse(["5xx"]);

        Assert.True(conditions.Matches(RequestOutcome.Status5xx, 500));
        Assert.True(conditions.Matches(RequestOutcome.Status5xx, 563));
        Assert.True(conditions.Matches(RequestOutcome.Status5xx, 564));
        Assert.True(conditions.Matches(RequestOutcome.Status5xx, 599));
        Assert.False(conditions.Matches(RequestOutcome.Reset, 0));
    }

    [Fact]
    public void Parse_CodesAcrossBothWords_MatchOnlyThoseCodes()
    {
        var conditions = RetryConditions.Parse(["500", "599"]);

        Assert.True(conditions.Matches(RequestOutcome.Status5xx, 500));
        Assert.True(conditions.Matches(RequestOutcome.Status5xx, 599));
        Assert.False(conditions.Matches(RequestOutcome.Status5xx, 598));
        Assert.False(conditions.Matches(RequestOutcome.Status5xx, 600));
    }

    [Fact]
    public void Parse_EmptyList_NeverMatches()
    {
        Assert.False(RetryConditions.None.Matches(RequestOutcome.ConnectFailure, 0));
        Assert.False(RetryConditions.None.Matches(RequestOutcome.Status5xx, 503));
    }

    [Theory]
    [InlineData("conect_failure", "\"conect_failure\" is not a retry condition; use connect_failure, reset, timeout, 5xx")]
    [InlineData("404", "404 cannot be retried on; only upstream statuses from 500 to 599 can")]
    [InlineData("600", "600 cannot be retried on")]
    [InlineData("", "\"\" is not a retry condition")]
    public void TryParse_UnknownItem_NamesItAndTheAlternatives(string item, string expected)
    {
        bool parsed = RetryConditions.TryParse(["reset", item], out RetryConditions? conditions, out string? error);

        Assert.False(parsed);
        Assert.Null(conditions);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
