using System.Globalization;
using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Config;
using Proxy.Engine.Metrics;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// The HTTP/2 defences of [limits.http2], each crossed by a frame-level client (tests/EndToEnd.Tests/Http2/h2edge.py,
/// python3-h2's hpack plus hand-written frames) against the real listener, with small limits so each case is quick.
/// </summary>
public sealed class Http2DefenceTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private static readonly Http2LimitsConfig SmallLimits = new()
    {
        MaxConcurrentStreams = 2,
        ResetBurst = 10,
        ResetRate = 5,
        ControlFrameBurst = 20,
        ControlFrameRate = 10,
        ZeroWindowTimeout = TimeSpan.FromSeconds(1),
    };

    private static InProcessProxy StartProxy(TestOrigin origin, Func<ProxyConfig, ProxyConfig>? change = null)
    {
        ProxyConfig config = Http2Tests.H2cConfig(origin) with { Limits = new LimitsConfig { Http2 = SmallLimits } };
        return InProcessProxy.Start(change is null ? config : change(config));
    }

    private static TestOrigin Origin() => new(r => r.Target switch
    {
        "/slow" => OriginResponse.Text("slow") with { Delay = TimeSpan.FromSeconds(1) },
        "/body" => new OriginResponse { GeneratedBodyLength = 100_000 },
        "/huge" => new OriginResponse { GeneratedBodyLength = 32_000_000 },
        "/trailers" => OriginResponse.Text($"{r.BodyLength} {(r.BodyWasChunked ? "chunked" : "length")}"),
        "/response-trailers" => OriginResponse.Text("checked body") with
        {
            Framing = OriginFraming.Chunked,
            Trailers = [new("X-Checksum", "abc"), new("Grpc-Status", "0"), new("Transfer-Encoding", "chunked"), new("Content-Length", "12"), new("Host", "elsewhere"), new("Keep-Alive", "timeout=5")],
        },
        _ => OriginResponse.Text("ok"),
    });

    private static async Task<ExternalTool.Result> RunCaseAsync(string name, InProcessProxy proxy, params string[] extra) =>
        await ExternalTool.PythonAsync("Http2/h2edge.py", ScriptTimeout, [name, "127.0.0.1", proxy.EndPoint.Port.ToString(CultureInfo.InvariantCulture), .. extra]);

    /// <summary>The <c>key=value</c> pairs a case prints, as numbers.</summary>
    private static Dictionary<string, double> Outcome(ExternalTool.Result result) =>
        result.Stdout.Trim().Split(' ').Select(pair => pair.Split('=')).Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));

    /// <summary>
    /// Runs a case while another HTTP/2 connection keeps asking for small responses, and returns what that connection
    /// was answered meanwhile: a defence that acts on one connection must leave the others served.
    /// </summary>
    private static async Task<(ExternalTool.Result Result, List<string> Served)> RunCaseWhileServingAsync(string name, InProcessProxy proxy, HttpClient client, params string[] extra)
    {
        Task<ExternalTool.Result> attack = RunCaseAsync(name, proxy, extra);
        var served = new List<string>();
        while (!attack.IsCompleted)
        {
            served.Add(await client.GetStringAsync("/during"));
            await Task.Delay(10);    // pacing, not waiting for anything: a busy loop would starve the case on two cores
        }
        return (await attack, served);
    }

    private static long Defences(InProcessProxy proxy, Http2Defence defence) => proxy.Server.Context.Stats.Http2Defences(defence);

    [Fact]
    public async Task Ping_IsAnswered()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("ping", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task RapidReset_GoAwayEnhanceYourCalm_WhileAnotherConnectionIsServed()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin, c => c with { Limits = new LimitsConfig { Http2 = SmallLimits with { MaxConcurrentStreams = 1000 } } });
        using HttpClient client = Http2Tests.Http2Client(proxy);
        Assert.Equal("ok", await client.GetStringAsync("/before"));

        Task<ExternalTool.Result> attack = RunCaseAsync("rapid-reset", proxy);
        var served = new List<string>();
        while (!attack.IsCompleted) served.Add(await client.GetStringAsync("/during"));
        ExternalTool.Result result = await attack;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("goaway 11", result.Stdout.Trim());
        Assert.All(served, answer => Assert.Equal("ok", answer));
        Assert.Equal("ok", await client.GetStringAsync("/after"));
        Assert.Equal(1, Defences(proxy, Http2Defence.RapidReset));
    }

    [Fact]
    public async Task ContinuationFlood_GoAwayEnhanceYourCalm()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("continuation-flood", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, Defences(proxy, Http2Defence.TooManyContinuationFrames) + Defences(proxy, Http2Defence.FieldBlockTooLarge));
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task HpackBomb_GoAwayEnhanceYourCalm()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("hpack-bomb", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, Defences(proxy, Http2Defence.HeaderListTooLarge));
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task StreamBeyondMaxConcurrentStreams_RefusedStream_OthersServed()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("too-many-streams", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, Defences(proxy, Http2Defence.TooManyStreams));
        Assert.Equal(2, origin.Requests.Count);
    }

    [Fact]
    public async Task SettingsFlood_GoAwayEnhanceYourCalm()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("settings-flood", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, Defences(proxy, Http2Defence.SettingsFlood));
    }

    [Theory]
    [InlineData("ping-flood", nameof(Http2Defence.PingFlood))]
    [InlineData("priority-flood", nameof(Http2Defence.PriorityFlood))]
    [InlineData("empty-data-flood", nameof(Http2Defence.EmptyDataFlood))]
    [InlineData("window-update-flood", nameof(Http2Defence.WindowUpdateFlood))]
    public async Task ControlFrameFlood_GoAwayEnhanceYourCalm(string name, string reason)
    {
        Http2Defence defence = Enum.Parse<Http2Defence>(reason);
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync(name, proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, Defences(proxy, defence));
    }

    [Fact]
    public async Task WindowUpdatesAnsweringData_ManyBeyondTheBurst_AreNoFlood()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("window-update-per-data-frame", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, Defences(proxy, Http2Defence.WindowUpdateFlood));
    }

    [Theory]
    [InlineData("window-overflow-stream")]
    [InlineData("window-overflow-connection")]
    public async Task WindowUpdateOverflow_FlowControlError(string name)
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync(name, proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, Defences(proxy, Http2Defence.WindowUpdateFlood));
    }

    [Fact]
    public async Task ZeroWindowStall_StreamResetAfterTimeout()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("zero-window", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, Defences(proxy, Http2Defence.ZeroWindowStall));
    }

    [Fact]
    public async Task ConnectionWindowStall_ConnectionEndedAfterTheTimeout_WhileAnotherConnectionIsServed()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);
        using HttpClient client = Http2Tests.Http2Client(proxy);
        Assert.Equal("ok", await client.GetStringAsync("/before"));

        var (result, served) = await RunCaseWhileServingAsync("connection-window-stall", proxy, client);

        Assert.True(result.ExitCode == 0, result.ToString());
        Dictionary<string, double> outcome = Outcome(result);
        // Cut after zero_window_timeout (1 s), counted from when the client had the whole connection window, with
        // room for a loaded machine.
        double timeout = SmallLimits.ZeroWindowTimeout.TotalSeconds;
        Assert.InRange(outcome["stalled"], timeout - 0.2, timeout + 2);
        Assert.Equal(1, outcome["closed"]);
        Assert.Equal(1, Defences(proxy, Http2Defence.ZeroWindowStall));
        Assert.NotEmpty(served);
        Assert.All(served, answer => Assert.Equal("ok", answer));
        await Wait.Until(() => proxy.Server.Context.Stats.ConnectionsActive == 1);    // only the HttpClient's is left
        Assert.Equal("ok", await client.GetStringAsync("/after"));
    }

    [Fact]
    public async Task ClientStopsReading_StallCountedAndConnectionClosed_WhileAnotherConnectionIsServed()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);
        using HttpClient client = Http2Tests.Http2Client(proxy);
        Assert.Equal("ok", await client.GetStringAsync("/before"));
        string adminPort = proxy.Server.AdminEndPoint!.Port.ToString(CultureInfo.InvariantCulture);

        var (result, served) = await RunCaseWhileServingAsync("client-stops-reading", proxy, client, adminPort);

        Assert.True(result.ExitCode == 0, result.ToString());
        Dictionary<string, double> outcome = Outcome(result);
        // The writes block within moments of the request; the stall is counted zero_window_timeout (1 s) later and
        // the connection cut at once (no linger for a client that reads nothing), with room for a loaded machine.
        double timeout = SmallLimits.ZeroWindowTimeout.TotalSeconds;
        Assert.InRange(outcome["counted"], timeout - 0.2, timeout + 1.5);
        Assert.InRange(outcome["counted"] + outcome["gone"], timeout - 0.2, timeout + 1.5);
        Assert.Equal(1, outcome["closed"]);
        Assert.Equal(1, Defences(proxy, Http2Defence.ZeroWindowStall));
        Assert.NotEmpty(served);
        Assert.All(served, answer => Assert.Equal("ok", answer));
        await Wait.Until(() => proxy.Server.Context.Stats.ConnectionsActive == 1);
        Assert.Equal("ok", await client.GetStringAsync("/after"));
    }

    [Fact]
    public async Task ResponseBeforeUploadEnds_RstStreamNoError()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin, c => c with { Routes = [new RouteConfig { Name = "only", Cluster = "backend", Hosts = ["only.example"] }] });

        ExternalTool.Result result = await RunCaseAsync("early-response", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task RequestTrailers_ForwardedAfterTheLastChunk()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("trailers", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task ResponseTrailers_LastHeadersWithEndStream_AfterData_ForbiddenFieldsDropped()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("response-trailers", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task HeadersAfterEndStream_StreamClosed_ConnectionGoesOn()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);

        ExternalTool.Result result = await RunCaseAsync("headers-after-end-stream", proxy);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Metrics_ExportDefencesByReason()
    {
        await using TestOrigin origin = Origin();
        await using InProcessProxy proxy = StartProxy(origin);
        await RunCaseAsync("settings-flood", proxy);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };

        string metrics = await admin.GetStringAsync("/metrics");

        Assert.Contains("proxy_http2_defence_total{reason=\"settings_flood\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("proxy_http2_defence_total{reason=\"rapid_reset\"} 0", metrics, StringComparison.Ordinal);
    }
}
