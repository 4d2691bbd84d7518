namespace Proxy.Engine.Config;

/// <summary>
/// <c>[limits.http2]</c>: what one HTTP/2 client connection may ask of the proxy (listeners with "h2c"). Each key is
/// one of the HTTP/2 defences; crossing one is counted in <c>proxy_http2_defence_total{reason}</c>.
/// </summary>
public sealed record Http2LimitsConfig
{
    /// <summary><c>max_concurrent_streams</c>: streams open at once per connection; one more is refused with REFUSED_STREAM (nginx: 128).</summary>
    public int MaxConcurrentStreams { get; init; } = 128;
    /// <summary><c>initial_stream_window</c>: request body bytes a stream may send before the upstream has taken them (SETTINGS_INITIAL_WINDOW_SIZE).</summary>
    public int InitialStreamWindow { get; init; } = 256 * 1024;
    /// <summary><c>connection_window</c>: request body bytes all streams of a connection may have in flight together.</summary>
    public int ConnectionWindow { get; init; } = 1024 * 1024;
    /// <summary><c>max_header_list_size</c>: decoded size of a field section (name + value + 32 per field); over it GOAWAY ENHANCE_YOUR_CALM (HPACK bomb).</summary>
    public int MaxHeaderListSize { get; init; } = 64 * 1024;
    /// <summary><c>max_field_block_size</c>: encoded bytes of HEADERS plus its CONTINUATION frames; over it GOAWAY ENHANCE_YOUR_CALM.</summary>
    public int MaxFieldBlockSize { get; init; } = 64 * 1024;
    /// <summary><c>max_continuation_frames</c>: CONTINUATION frames in one field block; over it GOAWAY ENHANCE_YOUR_CALM (CONTINUATION flood).</summary>
    public int MaxContinuationFrames { get; init; } = 32;
    /// <summary><c>reset_burst</c>: streams a client may reset before their response is complete, at once (rapid reset, CVE-2023-44487).</summary>
    public int ResetBurst { get; init; } = 200;
    /// <summary><c>reset_rate</c>: such resets per second sustained after the burst; over it GOAWAY ENHANCE_YOUR_CALM.</summary>
    public int ResetRate { get; init; } = 100;
    /// <summary><c>control_frame_burst</c>: SETTINGS, PING, PRIORITY, empty DATA and unearned WINDOW_UPDATE frames (each counted apart) a client may send at once.</summary>
    public int ControlFrameBurst { get; init; } = 100;
    /// <summary><c>control_frame_rate</c>: each of those per second sustained after the burst; over it GOAWAY ENHANCE_YOUR_CALM.</summary>
    public int ControlFrameRate { get; init; } = 100;
    /// <summary>
    /// <c>window_updates_per_data_frame</c>: WINDOW_UPDATE frames a client may send per DATA frame it was sent (plus one
    /// per stream it opens); beyond those they count against control_frame_burst/rate like PING, and over that GOAWAY
    /// ENHANCE_YOUR_CALM. Envoy's max_inbound_window_update_frames_per_data_frame_sent also defaults to 10 (and
    /// allows twice that, one count per level); here the burst and rate take what a peculiar client adds.
    /// </summary>
    public int WindowUpdatesPerDataFrame { get; init; } = 10;
    /// <summary><c>zero_window_timeout</c>: how long a response may wait on a send window of 0 before its stream (or, for the connection window, the connection) is cut.</summary>
    public TimeSpan ZeroWindowTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
