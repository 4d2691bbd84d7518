namespace Proxy.Protocols.Http2;

/// <summary>
/// Error codes of RFC 9113 §7, as carried by RST_STREAM and GOAWAY. The field is 32 bits and unknown codes must not
/// trigger special behaviour (RFC 9113 §7), so a value read off the wire may be one not named here.
/// </summary>
public enum Http2ErrorCode : uint
{
    /// <summary>Graceful end, not an error.</summary>
    NoError = 0x0,
    /// <summary>Unspecific protocol violation.</summary>
    ProtocolError = 0x1,
    /// <summary>Unexpected internal failure.</summary>
    InternalError = 0x2,
    /// <summary>The peer broke the flow-control rules.</summary>
    FlowControlError = 0x3,
    /// <summary>A SETTINGS frame was not acknowledged in time.</summary>
    SettingsTimeout = 0x4,
    /// <summary>A frame arrived on a half-closed stream.</summary>
    StreamClosed = 0x5,
    /// <summary>A frame has an invalid size.</summary>
    FrameSizeError = 0x6,
    /// <summary>The stream was refused before any processing; safe to retry.</summary>
    RefusedStream = 0x7,
    /// <summary>The stream is no longer needed.</summary>
    Cancel = 0x8,
    /// <summary>The field compression context (HPACK) cannot be kept.</summary>
    CompressionError = 0x9,
    /// <summary>A CONNECT tunnel's connection failed.</summary>
    ConnectError = 0xa,
    /// <summary>The peer behaves in a way that may be generating excessive load.</summary>
    EnhanceYourCalm = 0xb,
    /// <summary>The transport does not meet minimum security requirements.</summary>
    InadequateSecurity = 0xc,
    /// <summary>HTTP/1.1 is required instead.</summary>
    Http11Required = 0xd,
}
