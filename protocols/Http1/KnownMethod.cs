namespace Proxy.Protocols.Http1;

/// <summary>Request methods the proxy treats specially; any other valid token is <see cref="Other"/>.</summary>
public enum KnownMethod : byte
{
    /// <summary>A syntactically valid method that is none of the ones below (its bytes are in the head).</summary>
    Other,
    /// <summary>GET</summary>
    Get,
    /// <summary>HEAD: the response never carries a body.</summary>
    Head,
    /// <summary>POST</summary>
    Post,
    /// <summary>PUT</summary>
    Put,
    /// <summary>DELETE</summary>
    Delete,
    /// <summary>OPTIONS</summary>
    Options,
    /// <summary>PATCH</summary>
    Patch,
    /// <summary>TRACE</summary>
    Trace,
    /// <summary>CONNECT: refused until tunnelling is a feature.</summary>
    Connect,
}
