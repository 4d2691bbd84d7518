using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>How a response body is framed toward the client, which can differ from the upstream's framing.</summary>
internal enum ClientBodyMode : byte
{
    None,
    ContentLength,
    Chunked,
    /// <summary>Only toward HTTP/1.0 clients, which cannot read chunked: the body ends when we close.</summary>
    CloseDelimited,
}

internal static class ClientBodyModes
{
    /// <summary>
    /// A body the upstream delimits by closing, or chunks, goes to an HTTP/1.1 client chunked, so the client's
    /// connection survives it (as nginx does); an HTTP/1.0 client gets it delimited by our close.
    /// </summary>
    public static ClientBodyMode Choose(BodyFraming upstream, HttpVersion clientVersion) => upstream switch
    {
        BodyFraming.None => ClientBodyMode.None,
        BodyFraming.ContentLength => ClientBodyMode.ContentLength,
        _ => clientVersion == HttpVersion.Http11 ? ClientBodyMode.Chunked : ClientBodyMode.CloseDelimited,
    };
}
