namespace Proxy.Engine.Forwarding;

/// <summary>How waiting for the upstream's response head ended.</summary>
internal enum ResponseHeadResult : byte
{
    Received,
    /// <summary>The upstream closed or reset before a complete head; <c>receivedAny</c> tells whether it sent bytes first.</summary>
    UpstreamClosed,
    /// <summary>timeouts.response_header passed (504).</summary>
    TimedOut,
    /// <summary>The head is malformed or not allowed (502).</summary>
    Invalid,
    /// <summary>The client went away while an interim response was being passed on.</summary>
    ClientFailed,
}
