namespace Proxy.Protocols.Http1;

/// <summary>
/// Header names the proxy acts on, recognised while parsing by comparing ASCII bytes case-insensitively,
/// so the engine can test a field with one byte compare instead of a string compare.
/// </summary>
public enum KnownHeader : byte
{
    /// <summary>Any other name.</summary>
    None,
    /// <summary>Host</summary>
    Host,
    /// <summary>Content-Length</summary>
    ContentLength,
    /// <summary>Transfer-Encoding (hop-by-hop)</summary>
    TransferEncoding,
    /// <summary>Connection (hop-by-hop)</summary>
    Connection,
    /// <summary>Keep-Alive (hop-by-hop)</summary>
    KeepAlive,
    /// <summary>Proxy-Connection (hop-by-hop, non-standard but sent by old clients)</summary>
    ProxyConnection,
    /// <summary>TE (hop-by-hop)</summary>
    Te,
    /// <summary>Upgrade (hop-by-hop)</summary>
    Upgrade,
    /// <summary>Trailer</summary>
    Trailer,
    /// <summary>Expect</summary>
    Expect,
    /// <summary>X-Forwarded-For</summary>
    XForwardedFor,
    /// <summary>X-Forwarded-Proto</summary>
    XForwardedProto,
    /// <summary>X-Forwarded-Host</summary>
    XForwardedHost,
    /// <summary>Via</summary>
    Via,
    /// <summary>Cookie</summary>
    Cookie,
    /// <summary>Set-Cookie</summary>
    SetCookie,
    /// <summary>Content-Type</summary>
    ContentType,
    /// <summary>Date</summary>
    Date,
    /// <summary>Server</summary>
    Server,
}
