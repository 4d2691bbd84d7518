namespace Proxy.Protocols.Http2;

/// <summary>
/// A parsed PING frame (RFC 9113 §6.7): 8 opaque bytes, read as one big-endian number so they can be echoed
/// without a buffer.
/// <code>
/// +---------------------------------------------------------------+
/// |                      Opaque Data (64)                         |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
/// <param name="OpaqueData">The payload, big-endian.</param>
/// <param name="IsAck">ACK: this answers our PING and must not be answered.</param>
public readonly record struct PingFrame(ulong OpaqueData, bool IsAck)
{
    /// <summary>Bytes of a PING payload.</summary>
    public const int PayloadSize = 8;
}
