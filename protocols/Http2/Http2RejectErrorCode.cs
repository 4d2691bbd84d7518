namespace Proxy.Protocols.Http2;

/// <summary>The one place where an <see cref="Http2RejectReason"/> becomes the RFC 9113 §7 error code sent to the peer.</summary>
public static class Http2RejectErrorCode
{
    /// <summary>The error code for RST_STREAM or GOAWAY when the peer's bytes were refused for <paramref name="reason"/>.</summary>
    public static Http2ErrorCode Of(Http2RejectReason reason) => reason switch
    {
        Http2RejectReason.None => Http2ErrorCode.NoError,
        Http2RejectReason.FrameTooLarge or Http2RejectReason.PayloadTooShort or Http2RejectReason.PriorityLengthInvalid
            or Http2RejectReason.RstStreamLengthInvalid or Http2RejectReason.SettingsLengthInvalid
            or Http2RejectReason.SettingsAckWithPayload or Http2RejectReason.PingLengthInvalid
            or Http2RejectReason.GoAwayTooShort or Http2RejectReason.WindowUpdateLengthInvalid => Http2ErrorCode.FrameSizeError,
        Http2RejectReason.SettingsInitialWindowSizeTooLarge or Http2RejectReason.WindowOverflow
            or Http2RejectReason.WindowExceeded => Http2ErrorCode.FlowControlError,
        Http2RejectReason.FieldBlockTooLarge or Http2RejectReason.TooManyContinuationFrames
            or Http2RejectReason.HeaderListTooLarge or Http2RejectReason.RapidReset or Http2RejectReason.SettingsFlood
            or Http2RejectReason.PingFlood or Http2RejectReason.PriorityFlood
            or Http2RejectReason.EmptyDataFlood or Http2RejectReason.WindowUpdateFlood => Http2ErrorCode.EnhanceYourCalm,
        Http2RejectReason.TooManyStreams => Http2ErrorCode.RefusedStream,
        Http2RejectReason.HpackIntegerOverflow or Http2RejectReason.HpackInvalidIndex
            or Http2RejectReason.HpackTableSizeUpdateTooLarge or Http2RejectReason.HpackTableSizeUpdateNotAtStart
            or Http2RejectReason.HpackTableSizeUpdateMissing or Http2RejectReason.HpackTruncatedBlock
            or Http2RejectReason.HuffmanInvalidPadding or Http2RejectReason.HuffmanEndOfString => Http2ErrorCode.CompressionError,
        _ => Http2ErrorCode.ProtocolError,
    };
}
