namespace Proxy.Protocols.Http2;

/// <summary>
/// The values of the SETTINGS parameters one endpoint has announced (RFC 9113 §6.5.2), starting from the RFC's
/// initial values. Keep one for the peer's settings (updated as its SETTINGS frames arrive) and one for ours (updated
/// when the peer acknowledges them). A mutable struct; not thread-safe.
/// </summary>
public struct Http2Settings
{
    /// <summary>The initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2).</summary>
    public const uint DefaultHeaderTableSize = 4096;

    /// <summary>The initial SETTINGS_INITIAL_WINDOW_SIZE, and the initial connection window (RFC 9113 §6.9.2).</summary>
    public const int DefaultInitialWindowSize = 65_535;

    /// <summary>The RFC's initial values: table 4096, push enabled, streams and header list unlimited, window 65535, frames 16384.</summary>
    public static Http2Settings Default => new()
    {
        HeaderTableSize = DefaultHeaderTableSize,
        EnablePush = true,
        MaxConcurrentStreams = uint.MaxValue,
        InitialWindowSize = DefaultInitialWindowSize,
        MaxFrameSize = FrameHeader.DefaultMaxFrameSize,
        MaxHeaderListSize = uint.MaxValue,
    };

    /// <summary>SETTINGS_HEADER_TABLE_SIZE: the most the sender's HPACK decoder lets the encoder's dynamic table hold.</summary>
    public uint HeaderTableSize { get; set; }

    /// <summary>SETTINGS_ENABLE_PUSH. A client that receives 1 from a server must refuse it; that is the engine's rule.</summary>
    public bool EnablePush { get; set; }

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS; <see cref="uint.MaxValue"/> when never sent (unlimited).</summary>
    public uint MaxConcurrentStreams { get; set; }

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE, 0..2^31-1: the initial send window of every stream towards the sender.</summary>
    public int InitialWindowSize { get; set; }

    /// <summary>SETTINGS_MAX_FRAME_SIZE, 2^14..2^24-1: the largest payload the sender accepts.</summary>
    public int MaxFrameSize { get; set; }

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE; <see cref="uint.MaxValue"/> when never sent (unlimited).</summary>
    public uint MaxHeaderListSize { get; set; }

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441): the sender accepts extended CONNECT.</summary>
    public bool EnableConnectProtocol { get; set; }

    /// <summary>SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218).</summary>
    public bool NoRfc7540Priorities { get; set; }

    /// <summary>
    /// Applies one setting, in the order received (RFC 9113 §6.5.3). Unknown identifiers are ignored. Values are
    /// validated here as in <see cref="Validate"/>, so a setting that did not come through <see cref="FrameReader.ReadSettings"/>
    /// is checked too. Throws <see cref="Http2RejectException"/> (connection error) on an invalid value.
    /// </summary>
    public void Apply(Http2Setting setting)
    {
        Validate(setting);
        switch (setting.Id)
        {
            case Http2SettingId.HeaderTableSize: HeaderTableSize = setting.Value; break;
            case Http2SettingId.EnablePush: EnablePush = setting.Value == 1; break;
            case Http2SettingId.MaxConcurrentStreams: MaxConcurrentStreams = setting.Value; break;
            case Http2SettingId.InitialWindowSize: InitialWindowSize = (int)setting.Value; break;
            case Http2SettingId.MaxFrameSize: MaxFrameSize = (int)setting.Value; break;
            case Http2SettingId.MaxHeaderListSize: MaxHeaderListSize = setting.Value; break;
            case Http2SettingId.EnableConnectProtocol: EnableConnectProtocol = setting.Value == 1; break;
            case Http2SettingId.NoRfc7540Priorities: NoRfc7540Priorities = setting.Value == 1; break;
            default: break; // RFC 9113 §6.5.2: an unknown setting MUST be ignored.
        }
    }

    /// <summary>
    /// Throws <see cref="Http2RejectException"/> (connection error) when <paramref name="setting"/> has a value
    /// RFC 9113 §6.5.2 forbids: a boolean other than 0 or 1 (PROTOCOL_ERROR), an initial window above 2^31-1
    /// (FLOW_CONTROL_ERROR), a maximum frame size outside 2^14..2^24-1 (PROTOCOL_ERROR).
    /// </summary>
    public static void Validate(Http2Setting setting)
    {
        switch (setting.Id)
        {
            case Http2SettingId.EnablePush or Http2SettingId.EnableConnectProtocol or Http2SettingId.NoRfc7540Priorities:
                if (setting.Value > 1) Http2RejectException.ThrowConnectionError(Http2RejectReason.SettingsBooleanInvalid);
                break;
            case Http2SettingId.InitialWindowSize:
                if (setting.Value > FlowWindow.MaxSize) Http2RejectException.ThrowConnectionError(Http2RejectReason.SettingsInitialWindowSizeTooLarge);
                break;
            case Http2SettingId.MaxFrameSize:
                if (setting.Value is < FrameHeader.DefaultMaxFrameSize or > FrameHeader.MaxLength)
                    Http2RejectException.ThrowConnectionError(Http2RejectReason.SettingsMaxFrameSizeOutOfRange);
                break;
            default:
                break;
        }
    }
}
