using System.Diagnostics.CodeAnalysis;

namespace Proxy.Protocols.Http2;

/// <summary>
/// The flag bits of the frame header (RFC 9113 §4.1). Their meaning depends on the frame type: 0x1 is END_STREAM on
/// DATA and HEADERS but ACK on SETTINGS and PING. Bits a type does not define must be ignored (RFC 9113 §4.1), so the
/// reader keeps them and the payload parsers look only at the bits their type defines.
/// </summary>
[Flags]
[SuppressMessage("Naming", "CA1711", Justification = "RFC 9113 §4.1 calls the field Flags.")]
public enum FrameFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0x0,
    /// <summary>END_STREAM (DATA, HEADERS): the sender's last frame on the stream.</summary>
    EndStream = 0x1,
    /// <summary>ACK (SETTINGS, PING): acknowledges the peer's frame. Same bit as <see cref="EndStream"/>.</summary>
#pragma warning disable CA1069 // The RFC gives bit 0x1 two names, by frame type.
    Ack = 0x1,
#pragma warning restore CA1069
    /// <summary>END_HEADERS (HEADERS, PUSH_PROMISE, CONTINUATION): the field block ends with this frame.</summary>
    EndHeaders = 0x4,
    /// <summary>PADDED (DATA, HEADERS, PUSH_PROMISE): a pad length byte leads the payload and padding ends it.</summary>
    Padded = 0x8,
    /// <summary>PRIORITY (HEADERS): exclusive bit, stream dependency and weight precede the field block fragment.</summary>
    Priority = 0x20,
}
