using Proxy.Engine.Config;

namespace Proxy.Engine.Tests.Config;

/// <summary><c>[limits.http2]</c> and the "h2c" listener protocol.</summary>
public sealed class Http2LimitsConfigTests
{
    private const string Listener = "[[listeners]]\nname = \"web\"\nlisten = \"127.0.0.1:8080\"\n";

    [Fact]
    public void LoadText_EveryHttp2Key_IsRead()
    {
        ConfigLoadResult result = ConfigLoader.LoadText("""
            [limits.http2]
            max_concurrent_streams = 10
            initial_stream_window = "64KiB"
            connection_window = "2MiB"
            max_header_list_size = "32KiB"
            max_field_block_size = "16KiB"
            max_continuation_frames = 4
            reset_burst = 50
            reset_rate = 20
            control_frame_burst = 30
            control_frame_rate = 15
            window_updates_per_data_frame = 3
            zero_window_timeout = "5s"

            [[listeners]]
            name = "web"
            listen = "127.0.0.1:8080"
            protocols = ["http1", "h2c"]
            """, "test.toml");

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(new Http2LimitsConfig
        {
            MaxConcurrentStreams = 10, InitialStreamWindow = 64 * 1024, ConnectionWindow = 2 * 1024 * 1024,
            MaxHeaderListSize = 32 * 1024, MaxFieldBlockSize = 16 * 1024, MaxContinuationFrames = 4, ResetBurst = 50,
            ResetRate = 20, ControlFrameBurst = 30, ControlFrameRate = 15, WindowUpdatesPerDataFrame = 3, ZeroWindowTimeout = TimeSpan.FromSeconds(5),
        }, result.Config!.Limits.Http2);
        Assert.Equal([ListenerProtocol.Http1, ListenerProtocol.H2c], Assert.Single(result.Config.Listeners).Protocols);
    }

    [Fact]
    public void LoadText_NoHttp2Table_UsesTheDocumentedDefaults()
    {
        ConfigLoadResult result = ConfigLoader.LoadText("[limits]\nmax_headers = 50\n" + Listener, "test.toml");

        Http2LimitsConfig http2 = result.Config!.Limits.Http2;
        Assert.Equal(128, http2.MaxConcurrentStreams);
        Assert.Equal(256 * 1024, http2.InitialStreamWindow);
        Assert.Equal(1024 * 1024, http2.ConnectionWindow);
        Assert.Equal(64 * 1024, http2.MaxHeaderListSize);
        Assert.Equal(10, http2.WindowUpdatesPerDataFrame);
        Assert.Equal(TimeSpan.FromSeconds(30), http2.ZeroWindowTimeout);
    }

    [Theory]
    [InlineData("max_concurrent_streams = 0", "`max_concurrent_streams` must be between 1 and 1000000, not 0")]
    [InlineData("connection_window = 65534", "`connection_window` must be")]
    [InlineData("window_updates_per_data_frame = 0", "`window_updates_per_data_frame` must be between 1 and 1000000, not 0")]
    [InlineData("window_updates_per_data_frame = 1000001", "`window_updates_per_data_frame` must be between 1 and 1000000, not 1000001")]
    [InlineData("max_streams = 4", "unknown key `max_streams` in [limits.http2]")]
    public void LoadText_BadHttp2Value_SaysWhichKey(string line, string message)
    {
        ConfigLoadResult result = ConfigLoader.LoadText($"[limits.http2]\n{line}\n" + Listener, "test.toml");

        Assert.False(result.Succeeded);
        Assert.Contains(message, Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
