namespace Proxy.Protocols.Http1;

/// <summary>How the end of a message body is found (RFC 9112 §6.3).</summary>
public enum BodyFraming : byte
{
    /// <summary>No body at all (a request without Content-Length or Transfer-Encoding; a response to HEAD, 1xx, 204, 304).</summary>
    None,
    /// <summary>Exactly <c>ContentLength</c> bytes follow the head; "Content-Length: 0" is framed so too, with length 0, not as <see cref="None"/>.</summary>
    ContentLength,
    /// <summary>Chunked transfer coding: read with <see cref="ChunkedDecoder"/>.</summary>
    Chunked,
    /// <summary>Responses only: the body runs until the upstream closes the connection.</summary>
    CloseDelimited,
}
