namespace Proxy.Protocols.Http1;

/// <summary>The HTTP/1.x versions a head can carry; anything else is rejected while parsing.</summary>
public enum HttpVersion : byte
{
    /// <summary>Not parsed yet.</summary>
    Unknown,
    /// <summary>HTTP/1.0: keep-alive only when asked for.</summary>
    Http10,
    /// <summary>HTTP/1.1: keep-alive unless "Connection: close".</summary>
    Http11,
}
