using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Tracing;

/// <summary>The <c>[tracing]</c> table.</summary>
public sealed class TracingConfigTests
{
    [Fact]
    public void LoadText_NoTracingTable_RequestIdOnTraceGenerationOff()
    {
        ProxyConfig config = AssertLoads(LoadWithListener(""));

        Assert.Equal(new TracingConfig { RequestId = true, GenerateTraceParent = false, SampleRate = 1.0 }, config.Tracing);
    }

    [Fact]
    public void LoadText_EveryKey_IsRead()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [tracing]
            request_id = false
            generate_traceparent = true
            sample_rate = 0.1
            """));

        Assert.Equal(new TracingConfig { RequestId = false, GenerateTraceParent = true, SampleRate = 0.1 }, config.Tracing);
    }

    [Fact]
    public void LoadText_NegativeSampleRate_SaysTheRange()
    {
        AssertSingleError(LoadWithListener("""
            [tracing]
            sample_rate = -0.5
            """), 2, 15, "`sample_rate` must be between 0 and 1, not -0.5");
    }
}
