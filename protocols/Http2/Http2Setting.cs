namespace Proxy.Protocols.Http2;

/// <summary>
/// One parameter of a SETTINGS frame (RFC 9113 §6.5.1):
/// <code>
/// +-------------------------------+
/// |       Identifier (16)         |
/// +-------------------------------+-------------------------------+
/// |                        Value (32)                             |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
/// <param name="Id">The identifier as sent; may be one <see cref="Http2SettingId"/> does not name (ignored by <see cref="Http2Settings.Apply"/>).</param>
/// <param name="Value">The value as sent.</param>
public readonly record struct Http2Setting(Http2SettingId Id, uint Value)
{
    /// <summary>Bytes of one setting on the wire.</summary>
    public const int Size = 6;
}
