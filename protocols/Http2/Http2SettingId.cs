namespace Proxy.Protocols.Http2;

/// <summary>
/// SETTINGS parameter identifiers (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1). A setting with any other identifier
/// must be ignored (RFC 9113 §6.5.2); <see cref="Http2Setting.Id"/> keeps the wire value as is.
/// </summary>
public enum Http2SettingId : ushort
{
    /// <summary>SETTINGS_HEADER_TABLE_SIZE: the largest HPACK dynamic table the sender's decoder allows. Initial 4096.</summary>
    HeaderTableSize = 0x1,
    /// <summary>SETTINGS_ENABLE_PUSH: 0 or 1. Initial 1.</summary>
    EnablePush = 0x2,
    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS: streams the sender lets its peer open. Initially unlimited.</summary>
    MaxConcurrentStreams = 0x3,
    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE: the sender's initial stream receive window, at most 2^31-1. Initial 65535.</summary>
    InitialWindowSize = 0x4,
    /// <summary>SETTINGS_MAX_FRAME_SIZE: the largest payload the sender accepts, 2^14 to 2^24-1. Initial 2^14.</summary>
    MaxFrameSize = 0x5,
    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE: advisory limit on the decoded field section (RFC 9113 §6.5.2 accounting). Initially unlimited.</summary>
    MaxHeaderListSize = 0x6,
    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3): 0 or 1. Initial 0.</summary>
    EnableConnectProtocol = 0x8,
    /// <summary>SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218 §2.1): 0 or 1. Initial 0.</summary>
    NoRfc7540Priorities = 0x9,
}
