namespace Proxy.Engine.Forwarding;

/// <summary>How one request ended, for the connection loop and the counters.</summary>
/// <param name="Status">The status the client received; 499 when the client went away before it could (as nginx logs it).</param>
/// <param name="KeepAlive">Whether the client connection may carry another request.</param>
internal readonly record struct ExchangeOutcome(int Status, bool KeepAlive)
{
    public const int ClientClosedRequest = 499;

    public static ExchangeOutcome ClientGone => new(ClientClosedRequest, false);
}
