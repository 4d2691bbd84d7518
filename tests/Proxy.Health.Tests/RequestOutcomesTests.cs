namespace Proxy.Health.Tests;

public class RequestOutcomesTests
{
    [Theory]
    [InlineData(RequestOutcome.ConnectFailure, 502, "connect_failure")]
    [InlineData(RequestOutcome.ConnectTimeout, 504, "connect_timeout")]
    [InlineData(RequestOutcome.Reset, 502, "upstream_reset")]
    [InlineData(RequestOutcome.ResponseHeaderTimeout, 504, "response_header_timeout")]
    [InlineData(RequestOutcome.IdleTimeout, 504, "idle_timeout")]
    [InlineData(RequestOutcome.InvalidResponse, 502, "invalid_response")]
    [InlineData(RequestOutcome.Cancelled, 499, "cancelled")]
    public void StatusCodeFor_ProxyGeneratedFailure_MapsToGatewayStatusWithReason(RequestOutcome outcome, int status, string reason)
    {
        Assert.Equal(status, RequestOutcomes.StatusCodeFor(outcome, upstreamStatus: 200));
        Assert.Equal(reason, RequestOutcomes.ReasonFor(outcome));
    }

    [Theory]
    [InlineData(RequestOutcome.Success, 204)]
    [InlineData(RequestOutcome.Status5xx, 503)]
    public void StatusCodeFor_UpstreamAnswered_PassesUpstreamStatusThrough(RequestOutcome outcome, int status)
    {
        Assert.Equal(status, RequestOutcomes.StatusCodeFor(outcome, status));
    }

    [Theory]
    [InlineData(RequestOutcome.Success, false)]
    [InlineData(RequestOutcome.Cancelled, false)]
    [InlineData(RequestOutcome.Status5xx, true)]
    [InlineData(RequestOutcome.ConnectFailure, true)]
    [InlineData(RequestOutcome.ConnectTimeout, true)]
    [InlineData(RequestOutcome.Reset, true)]
    [InlineData(RequestOutcome.ResponseHeaderTimeout, true)]
    [InlineData(RequestOutcome.IdleTimeout, true)]
    [InlineData(RequestOutcome.InvalidResponse, true)]
    public void IsFailure_EachOutcome_CountsOnlyUpstreamFaults(RequestOutcome outcome, bool expected)
    {
        Assert.Equal(expected, RequestOutcomes.IsFailure(outcome));
    }

    [Fact]
    public void ReasonFor_CalledTwice_ReturnsSameInstance()
    {
        Assert.Same(RequestOutcomes.ReasonFor(RequestOutcome.Reset), RequestOutcomes.ReasonFor(RequestOutcome.Reset));
    }
}
