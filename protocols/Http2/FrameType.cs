namespace Proxy.Protocols.Http2;

/// <summary>
/// The frame types of RFC 9113 §6, by their wire value. A frame of any other type is legal and must be ignored
/// (RFC 9113 §4.1, §5.5), except in the middle of a field block (see <see cref="FieldBlockTracker"/>); the byte is
/// kept as is, so <see cref="FrameHeader.Type"/> may hold a value that is not named here.
/// </summary>
public enum FrameType : byte
{
    /// <summary>DATA (RFC 9113 §6.1): request or response content; flow-controlled.</summary>
    Data = 0x0,
    /// <summary>HEADERS (RFC 9113 §6.2): opens a stream and carries a field block fragment.</summary>
    Headers = 0x1,
    /// <summary>PRIORITY (RFC 9113 §6.3): deprecated priority signal, still parsed and validated.</summary>
    Priority = 0x2,
    /// <summary>RST_STREAM (RFC 9113 §6.4): ends one stream at once.</summary>
    RstStream = 0x3,
    /// <summary>SETTINGS (RFC 9113 §6.5): connection parameters, or their acknowledgement.</summary>
    Settings = 0x4,
    /// <summary>PUSH_PROMISE (RFC 9113 §6.6): server push; a server refuses it from a client.</summary>
    PushPromise = 0x5,
    /// <summary>PING (RFC 9113 §6.7): round-trip measurement and liveness.</summary>
    Ping = 0x6,
    /// <summary>GOAWAY (RFC 9113 §6.8): the connection is ending.</summary>
    GoAway = 0x7,
    /// <summary>WINDOW_UPDATE (RFC 9113 §6.9): flow-control credit.</summary>
    WindowUpdate = 0x8,
    /// <summary>CONTINUATION (RFC 9113 §6.10): the rest of a field block.</summary>
    Continuation = 0x9,
}
