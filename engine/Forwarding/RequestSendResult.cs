namespace Proxy.Engine.Forwarding;

/// <summary>How sending a request (head and body) to the upstream ended.</summary>
internal enum RequestSendResult : byte
{
    Sent,
    /// <summary>The client closed or stalled in the middle of its body.</summary>
    ClientFailed,
    /// <summary>The client's chunked body is malformed (400).</summary>
    ClientBodyInvalid,
    /// <summary>The client's body is over max_request_body (413).</summary>
    BodyTooLarge,
    /// <summary>The upstream stopped taking the request; it may still have answered early.</summary>
    UpstreamFailed,
}
