namespace Proxy.Engine.Metrics;

/// <summary>
/// An HTTP/2 defence that acted: the <c>reason</c> label of <c>proxy_http2_defence_total</c>. Each has its key in
/// <c>[limits.http2]</c>.
/// </summary>
internal enum Http2Defence
{
    /// <summary>Too many streams reset by the client before their response was complete: GOAWAY ENHANCE_YOUR_CALM.</summary>
    RapidReset,
    /// <summary>SETTINGS frames beyond control_frame_burst/rate.</summary>
    SettingsFlood,
    /// <summary>PING frames beyond control_frame_burst/rate.</summary>
    PingFlood,
    /// <summary>PRIORITY frames beyond control_frame_burst/rate.</summary>
    PriorityFlood,
    /// <summary>Empty DATA frames without END_STREAM beyond control_frame_burst/rate.</summary>
    EmptyDataFlood,
    /// <summary>WINDOW_UPDATE frames beyond window_updates_per_data_frame per DATA frame sent, plus control_frame_burst/rate.</summary>
    WindowUpdateFlood,
    /// <summary>A stream opened beyond max_concurrent_streams: REFUSED_STREAM.</summary>
    TooManyStreams,
    /// <summary>A field block larger than max_field_block_size.</summary>
    FieldBlockTooLarge,
    /// <summary>A field block in more than max_continuation_frames CONTINUATION frames.</summary>
    TooManyContinuationFrames,
    /// <summary>A field section decoding to more than max_header_list_size (HPACK bomb).</summary>
    HeaderListTooLarge,
    /// <summary>A response stuck on a send window of 0 for longer than zero_window_timeout.</summary>
    ZeroWindowStall,
}
