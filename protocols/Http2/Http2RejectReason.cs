namespace Proxy.Protocols.Http2;

/// <summary>
/// Why an HTTP/2 peer's bytes were refused. Each reason maps to exactly one RFC 9113 §7 error code in
/// <see cref="Http2RejectErrorCode.Of"/>; whether it ends the connection or one stream is decided where it is raised
/// (<see cref="Http2RejectException.Scope"/>), because the RFC makes some rules depend on the stream identifier.
/// The engine counts rejections by reason: that is the counter behind every defence limit.
/// </summary>
public enum Http2RejectReason : byte
{
    /// <summary>Not rejected.</summary>
    None,

    // ---- connection preface and frame layer (RFC 9113 §3.4, §4, §6) ----------------------------------------

    /// <summary>The client connection preface is not "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113 §3.4). PROTOCOL_ERROR.</summary>
    InvalidPreface,
    /// <summary>A frame's length is above SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2). FRAME_SIZE_ERROR.</summary>
    FrameTooLarge,
    /// <summary>A stream-level frame (DATA, HEADERS, PRIORITY, RST_STREAM, PUSH_PROMISE, CONTINUATION) on stream 0. PROTOCOL_ERROR.</summary>
    StreamIdRequired,
    /// <summary>A connection-level frame (SETTINGS, PING, GOAWAY) on a stream other than 0. PROTOCOL_ERROR.</summary>
    StreamIdNotAllowed,
    /// <summary>A frame too short for its mandatory fields (pad length, priority, promised stream id) (RFC 9113 §4.2). FRAME_SIZE_ERROR.</summary>
    PayloadTooShort,
    /// <summary>Padding as long as or longer than the rest of the payload (RFC 9113 §6.1, §6.2, §6.6). PROTOCOL_ERROR.</summary>
    PaddingTooLong,
    /// <summary>PRIORITY payload not 5 bytes (RFC 9113 §6.3). FRAME_SIZE_ERROR, stream error.</summary>
    PriorityLengthInvalid,
    /// <summary>A stream made to depend on itself (RFC 9113 §5.3.1). PROTOCOL_ERROR, stream error.</summary>
    PrioritySelfDependency,
    /// <summary>RST_STREAM payload not 4 bytes (RFC 9113 §6.4). FRAME_SIZE_ERROR.</summary>
    RstStreamLengthInvalid,
    /// <summary>SETTINGS payload length not a multiple of 6 (RFC 9113 §6.5). FRAME_SIZE_ERROR.</summary>
    SettingsLengthInvalid,
    /// <summary>SETTINGS with ACK and a payload (RFC 9113 §6.5). FRAME_SIZE_ERROR.</summary>
    SettingsAckWithPayload,
    /// <summary>SETTINGS_ENABLE_PUSH, SETTINGS_ENABLE_CONNECT_PROTOCOL or SETTINGS_NO_RFC7540_PRIORITIES other than 0 or 1. PROTOCOL_ERROR.</summary>
    SettingsBooleanInvalid,
    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 (RFC 9113 §6.5.2). FLOW_CONTROL_ERROR.</summary>
    SettingsInitialWindowSizeTooLarge,
    /// <summary>SETTINGS_MAX_FRAME_SIZE outside 2^14..2^24-1 (RFC 9113 §6.5.2). PROTOCOL_ERROR.</summary>
    SettingsMaxFrameSizeOutOfRange,
    /// <summary>PING payload not 8 bytes (RFC 9113 §6.7). FRAME_SIZE_ERROR.</summary>
    PingLengthInvalid,
    /// <summary>GOAWAY payload shorter than 8 bytes (RFC 9113 §6.8). FRAME_SIZE_ERROR.</summary>
    GoAwayTooShort,
    /// <summary>WINDOW_UPDATE payload not 4 bytes (RFC 9113 §6.9). FRAME_SIZE_ERROR.</summary>
    WindowUpdateLengthInvalid,
    /// <summary>WINDOW_UPDATE with an increment of 0 (RFC 9113 §6.9). PROTOCOL_ERROR; a stream error on a stream.</summary>
    WindowUpdateZeroIncrement,

    // ---- flow control (RFC 9113 §5.2, §6.9) -------------------------------------------------------------------

    /// <summary>A window would grow above 2^31-1 (RFC 9113 §6.9.1, §6.9.2). FLOW_CONTROL_ERROR.</summary>
    WindowOverflow,
    /// <summary>The peer sent more flow-controlled bytes than the window it was given (RFC 9113 §6.9.1). FLOW_CONTROL_ERROR.</summary>
    WindowExceeded,

    // ---- field blocks and CONTINUATION (RFC 9113 §4.3, §6.10) -------------------------------------------------

    /// <summary>Another frame, or CONTINUATION on another stream, while a field block awaits its CONTINUATION (RFC 9113 §6.10). PROTOCOL_ERROR.</summary>
    ContinuationExpected,
    /// <summary>CONTINUATION with no field block open on its stream (RFC 9113 §6.10). PROTOCOL_ERROR.</summary>
    UnexpectedContinuation,
    /// <summary>A field block (HEADERS or PUSH_PROMISE plus CONTINUATION) larger than allowed: CONTINUATION flood. ENHANCE_YOUR_CALM.</summary>
    FieldBlockTooLarge,
    /// <summary>More CONTINUATION frames in one field block than allowed: CONTINUATION flood. ENHANCE_YOUR_CALM.</summary>
    TooManyContinuationFrames,

    // ---- flood defences, raised by the engine when a FloodBudget refuses or a limit is crossed ---------------

    /// <summary>Too many streams reset by the client before their response was complete (CVE-2023-44487). ENHANCE_YOUR_CALM.</summary>
    RapidReset,
    /// <summary>More SETTINGS frames than allowed. ENHANCE_YOUR_CALM.</summary>
    SettingsFlood,
    /// <summary>More PING frames than allowed. ENHANCE_YOUR_CALM.</summary>
    PingFlood,
    /// <summary>More PRIORITY frames than allowed. ENHANCE_YOUR_CALM.</summary>
    PriorityFlood,
    /// <summary>More empty DATA frames without END_STREAM than allowed. ENHANCE_YOUR_CALM.</summary>
    EmptyDataFlood,
    /// <summary>More WINDOW_UPDATE frames than the DATA sent to the peer justifies, beyond a burst and rate (<see cref="WindowUpdateBudget"/>). ENHANCE_YOUR_CALM.</summary>
    WindowUpdateFlood,
    /// <summary>
    /// A stream opened beyond our SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2): a stream error, REFUSED_STREAM so
    /// the client may retry it. The engine counts these too: a client that keeps doing it is flooding.
    /// </summary>
    TooManyStreams,

    // ---- HPACK (RFC 7541); the compression context is lost, so all are connection errors --------------------

    /// <summary>An HPACK integer above 2^31-1 or with too many continuation bytes (RFC 7541 §5.1). COMPRESSION_ERROR.</summary>
    HpackIntegerOverflow,
    /// <summary>Index 0, or an index beyond the static and dynamic tables (RFC 7541 §2.3.3). COMPRESSION_ERROR.</summary>
    HpackInvalidIndex,
    /// <summary>A dynamic table size update above SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3). COMPRESSION_ERROR.</summary>
    HpackTableSizeUpdateTooLarge,
    /// <summary>A dynamic table size update after a field representation in the block (RFC 7541 §4.2). COMPRESSION_ERROR.</summary>
    HpackTableSizeUpdateNotAtStart,
    /// <summary>The first block after SETTINGS_HEADER_TABLE_SIZE was lowered does not start with a size update (RFC 7541 §4.2). COMPRESSION_ERROR.</summary>
    HpackTableSizeUpdateMissing,
    /// <summary>The field block ends inside a representation (RFC 7541 §2). COMPRESSION_ERROR.</summary>
    HpackTruncatedBlock,
    /// <summary>Huffman padding longer than 7 bits or not made of 1 bits (RFC 7541 §5.2). COMPRESSION_ERROR.</summary>
    HuffmanInvalidPadding,
    /// <summary>The Huffman EOS symbol inside a string (RFC 7541 §5.2). COMPRESSION_ERROR.</summary>
    HuffmanEndOfString,
    /// <summary>
    /// The decoded field section is larger than the limit (RFC 9113 §6.5.2 accounting: name + value + 32 per field),
    /// detected as soon as it is crossed, before the field is materialised: the HPACK bomb defence. ENHANCE_YOUR_CALM.
    /// </summary>
    HeaderListTooLarge,

    // ---- field validation (RFC 9113 §8.2, §8.3); malformed messages are stream errors ---------------------------

    /// <summary>A field name that is empty or holds a byte outside tchar, or a colon past the first byte (RFC 9113 §8.2.1). PROTOCOL_ERROR.</summary>
    InvalidHeaderName,
    /// <summary>A field name with an uppercase letter (RFC 9113 §8.2.1). PROTOCOL_ERROR.</summary>
    UppercaseHeaderName,
    /// <summary>A field value with NUL, CR or LF, or leading or trailing SP/HTAB (RFC 9113 §8.2.1). PROTOCOL_ERROR.</summary>
    InvalidHeaderValue,
    /// <summary>connection, keep-alive, proxy-connection, transfer-encoding or upgrade (RFC 9113 §8.2.2). PROTOCOL_ERROR.</summary>
    ConnectionSpecificHeader,
    /// <summary>te with a value other than "trailers" (RFC 9113 §8.2.2). PROTOCOL_ERROR.</summary>
    InvalidTeHeader,
    /// <summary>A pseudo-header field after a regular field (RFC 9113 §8.3). PROTOCOL_ERROR.</summary>
    PseudoHeaderAfterRegularHeader,
    /// <summary>The same pseudo-header field twice (RFC 9113 §8.3). PROTOCOL_ERROR.</summary>
    DuplicatePseudoHeader,
    /// <summary>A pseudo-header field not defined for this kind of message (RFC 9113 §8.3). PROTOCOL_ERROR.</summary>
    UnknownPseudoHeader,
    /// <summary>A pseudo-header field in trailers (RFC 9113 §8.1). PROTOCOL_ERROR.</summary>
    PseudoHeaderInTrailers,
    /// <summary>A request without :method, :scheme or :path (not CONNECT), or a response without :status (RFC 9113 §8.3). PROTOCOL_ERROR.</summary>
    MissingPseudoHeader,
    /// <summary>:method is not a token (RFC 9110 §9.1). PROTOCOL_ERROR.</summary>
    InvalidMethod,
    /// <summary>:path empty, or not starting with '/' (only OPTIONS may use "*") for http/https (RFC 9113 §8.3.1). PROTOCOL_ERROR.</summary>
    InvalidPath,
    /// <summary>:authority that is not a valid host[:port], or that holds userinfo (RFC 9113 §8.3.1). PROTOCOL_ERROR.</summary>
    InvalidAuthority,
    /// <summary>:scheme that is not a URI scheme (RFC 3986 §3.1). PROTOCOL_ERROR.</summary>
    InvalidScheme,
    /// <summary>CONNECT with :scheme or :path, or without :authority (RFC 9113 §8.5). PROTOCOL_ERROR.</summary>
    InvalidConnectRequest,
    /// <summary>:status that is not three digits (RFC 9113 §8.3.2). PROTOCOL_ERROR.</summary>
    InvalidStatus,
}
