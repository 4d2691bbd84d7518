namespace Proxy.Protocols.Http1;

/// <summary>
/// Why a message was refused. Each reason maps to exactly one status code in <see cref="RejectStatus"/>;
/// reasons on a response from an upstream always become 502 for the client.
/// </summary>
public enum RejectReason : byte
{
    /// <summary>Not rejected.</summary>
    None,
    /// <summary>The request line is longer than allowed (414).</summary>
    RequestLineTooLong,
    /// <summary>The head is larger than allowed (431).</summary>
    HeadTooLarge,
    /// <summary>More header fields than allowed (431).</summary>
    TooManyHeaders,
    /// <summary>The request or status line does not have the right shape (400).</summary>
    InvalidStartLine,
    /// <summary>The method is not a token (400).</summary>
    InvalidMethod,
    /// <summary>The request target is not origin-, absolute-, authority- or asterisk-form, or holds forbidden bytes (400).</summary>
    InvalidTarget,
    /// <summary>The version is not HTTP/x.y (400).</summary>
    InvalidVersion,
    /// <summary>A well-formed version other than HTTP/1.0 or HTTP/1.1 (505).</summary>
    UnsupportedVersion,
    /// <summary>The status code is not three digits (response only).</summary>
    InvalidStatusCode,
    /// <summary>A header name is empty or holds a non-token byte (400).</summary>
    InvalidHeaderName,
    /// <summary>A header value holds a control byte (NUL, bare CR, ...) (400).</summary>
    InvalidHeaderValue,
    /// <summary>Whitespace between a header name and its colon (RFC 9112 §5.1) (400).</summary>
    WhitespaceBeforeColon,
    /// <summary>A header line starts with whitespace: obsolete line folding (RFC 9112 §5.2) (400).</summary>
    ObsoleteLineFolding,
    /// <summary>A CR not followed by LF (400).</summary>
    BareCarriageReturn,
    /// <summary>A line ended by LF alone, refused on requests (400).</summary>
    BareLineFeed,
    /// <summary>HTTP/1.1 request without Host (400).</summary>
    MissingHost,
    /// <summary>More than one Host field (400).</summary>
    DuplicateHost,
    /// <summary>Host value that is not a valid authority (400).</summary>
    InvalidHost,
    /// <summary>Content-Length is not a plain non-negative decimal that fits in 63 bits (400).</summary>
    InvalidContentLength,
    /// <summary>Several Content-Length values that differ (400).</summary>
    ConflictingContentLength,
    /// <summary>Both Transfer-Encoding and Content-Length (400).</summary>
    ContentLengthWithTransferEncoding,
    /// <summary>Transfer-Encoding whose final coding is not chunked, or chunked applied twice (400).</summary>
    InvalidTransferEncoding,
    /// <summary>A transfer coding the proxy does not implement, before the final chunked (501).</summary>
    UnsupportedTransferCoding,
    /// <summary>A chunk-size line that is not hex digits, or overflows (400).</summary>
    InvalidChunkSize,
    /// <summary>A chunk extension that does not follow RFC 9112 §7.1.1 (400).</summary>
    InvalidChunkExtension,
    /// <summary>A chunk-size line (with extensions) longer than allowed (400).</summary>
    ChunkLineTooLong,
    /// <summary>Chunk data not followed by CRLF (400).</summary>
    MissingChunkTerminator,
    /// <summary>The trailer section is larger than allowed (400).</summary>
    TrailersTooLarge,
    /// <summary>The body is larger than <c>max_request_body</c> (413).</summary>
    BodyTooLarge,
    /// <summary>CONNECT is not supported (405).</summary>
    MethodNotAllowed,
}
