using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.AccessLog;

/// <summary>The <c>[access_log]</c> table: defaults, every key, and the mistakes it refuses.</summary>
public sealed class AccessLogConfigTests
{
    [Fact]
    public void LoadText_NoAccessLogTable_LogIsOffWithDefaults()
    {
        ProxyConfig config = AssertLoads(LoadWithListener(""));

        Assert.Equal(new AccessLogConfig { Enabled = false, Path = "stdout", SampleRate = 1.0, MaxQueuedLines = 8192, IncludeQuery = false },
            config.AccessLog);
    }

    [Fact]
    public void LoadText_EveryKey_IsRead()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [access_log]
            enabled = true
            path = "/var/log/proxy/access.log"
            sample_rate = 0.25
            max_queued_lines = 1024
            include_query = true
            """));

        Assert.Equal(new AccessLogConfig
        {
            Enabled = true,
            Path = "/var/log/proxy/access.log",
            SampleRate = 0.25,
            MaxQueuedLines = 1024,
            IncludeQuery = true,
        }, config.AccessLog);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.0", 0.0)]
    [InlineData("0.001", 0.001)]
    public void LoadText_SampleRateAsIntegerOrFloat_IsAccepted(string written, double expected)
    {
        ProxyConfig config = AssertLoads(LoadWithListener($"[access_log]\nsample_rate = {written}"));

        Assert.Equal(expected, config.AccessLog.SampleRate);
    }

    [Fact]
    public void LoadText_SampleRateAboveOne_SaysTheRange()
    {
        AssertSingleError(LoadWithListener("""
            [access_log]
            sample_rate = 1.5
            """), 2, 15, "`sample_rate` must be between 0 and 1, not 1.5");
    }

    [Fact]
    public void LoadText_SampleRateAsString_SaysANumber()
    {
        AssertSingleError(LoadWithListener("""
            [access_log]
            sample_rate = "10%"
            """), 2, 15, "`sample_rate` must be a number from 0 to 1, like 0.25, not a string");
    }

    [Fact]
    public void LoadText_RelativePath_SaysAbsoluteOrStdout()
    {
        AssertSingleError(LoadWithListener("""
            [access_log]
            path = "logs/access.log"
            """), 2, 8, "`path` = \"logs/access.log\" must be \"stdout\" or an absolute file path like \"/var/log/proxy/access.log\"");
    }

    [Fact]
    public void LoadText_QueueBelowMinimum_SaysTheRange()
    {
        AssertSingleError(LoadWithListener("""
            [access_log]
            max_queued_lines = 15
            """), 2, 20, "`max_queued_lines` must be between 16 and 1048576, not 15");
    }

    [Fact]
    public void LoadText_UnknownKey_SuggestsTheClosest()
    {
        ConfigLoadResult result = LoadWithListener("""
            [access_log]
            sample_ratio = 0.5
            """);

        Assert.Null(result.Config);
        Assert.Contains("did you mean `sample_rate`?", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }
}
