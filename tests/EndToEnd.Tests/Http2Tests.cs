using System.Net;
using System.Net.Http.Headers;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Config;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// HTTP/2 with prior knowledge (h2c) from real clients — .NET HttpClient, curl, nghttp, h2load — through the proxy to
/// an HTTP/1.1 origin: every stream forwarded like an HTTP/1.1 request.
/// </summary>
public sealed class Http2Tests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    internal static ProxyConfig H2cConfig(TestOrigin origin, params ListenerProtocol[] protocols) => TestConfigs.OneCluster(origin) with
    {
        Listeners = [new ListenerConfig { Name = "web", Listen = new IPEndPoint(IPAddress.Loopback, 0), Protocols = protocols.Length == 0 ? [ListenerProtocol.Http1, ListenerProtocol.H2c] : protocols }],
    };

    internal static HttpClient Http2Client(InProcessProxy proxy) => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
    {
        BaseAddress = proxy.BaseUri,
        DefaultRequestVersion = HttpVersion.Version20,
        // "OrLower" would silently fall back to HTTP/1.1 over http:// (PLATFORM.md).
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(60),
    };

    [Theory]
    [InlineData(ListenerProtocol.H2c)]
    [InlineData(ListenerProtocol.Http1, ListenerProtocol.H2c)]
    public async Task HttpClient_Get_ForwardedAsHttp11WithForwardingFields(params ListenerProtocol[] protocols)
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"you asked for {r.Target}"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin, protocols));
        using HttpClient client = Http2Client(proxy);

        using HttpResponseMessage response = await client.GetAsync("/h2?q=1");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("you asked for /h2?q=1", await response.Content.ReadAsStringAsync());
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal("HTTP/1.1", seen.Version);
        Assert.Equal($"127.0.0.1:{proxy.EndPoint.Port}", seen.Header("Host"));
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("2 proxy", seen.Header("Via"));
    }

    [Fact]
    public async Task HttpClient_PostOneMebibyte_BodyArrivesWhole()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"{r.BodyLength} {(r.BodyWasChunked ? "chunked" : "length")} {Checksum(r.Body)}"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        using HttpClient client = Http2Client(proxy);
        byte[] body = new byte[1024 * 1024];
        new Random(9).NextBytes(body);

        using HttpResponseMessage withLength = await client.PostAsync("/upload", new ByteArrayContent(body));
        using var streamed = new UnknownLengthContent(body);      // no content-length: the proxy sends it chunked
        using HttpResponseMessage chunked = await client.PostAsync("/upload", streamed);

        Assert.Equal($"1048576 length {Checksum(body)}", await withLength.Content.ReadAsStringAsync());
        Assert.Equal($"1048576 chunked {Checksum(body)}", await chunked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HttpClient_HundredConcurrentStreams_AllAnsweredOnOneConnection()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target) with { Delay = TimeSpan.FromMilliseconds(50) });
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        using HttpClient client = Http2Client(proxy);

        string[] answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.GetStringAsync($"/stream/{i}")));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"/stream/{i}"), answers);
        Assert.Equal(1, proxy.Server.Context.Stats.ConnectionsAccepted);
        Assert.Equal(100, origin.Requests.Count);
    }

    [Fact]
    public async Task HttpClient_LargeAndSmallResponsesInterleaved_EachArrivesIntact()
    {
        const long large = 10L * 1024 * 1024;
        await using var origin = new TestOrigin(r => r.Target.StartsWith("/large", StringComparison.Ordinal)
            ? new OriginResponse { GeneratedBodyLength = large, Framing = r.Target.EndsWith('c') ? OriginFraming.Chunked : OriginFraming.ContentLength }
            : OriginResponse.Text("small"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        using HttpClient client = Http2Client(proxy);

        Task<byte[]>[] larges = [client.GetByteArrayAsync("/large-a"), client.GetByteArrayAsync("/large-c")];
        string[] smalls = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetStringAsync("/small")));
        byte[][] bodies = await Task.WhenAll(larges);

        Assert.All(smalls, s => Assert.Equal("small", s));
        foreach (byte[] body in bodies)
        {
            Assert.Equal(large, body.Length);
            for (long i = 0; i < body.Length; i += 4093) Assert.Equal(OriginResponse.GeneratedByte(i), body[i]);
        }
    }

    [Fact]
    public async Task HttpClient_ChunkedResponseWithTrailers_TrailersArriveAfterTheBody_ForbiddenOnesDropped()
    {
        // Fields that cannot be trailers (RFC 9110 §6.5.1) or cannot be sent in HTTP/2 at all (RFC 9113 §8.2.2).
        KeyValuePair<string, string>[] forbidden = [new("Content-Length", "5"), new("Host", "elsewhere"), new("Connection", "close"), new("Content-Type", "text/evil")];
        await using var origin = new TestOrigin(r => OriginResponse.Text("checked body") with
        {
            Framing = OriginFraming.Chunked,
            Headers = [new("Content-Type", "text/plain"), new("Trailer", "X-Checksum, Grpc-Status")],
            Trailers = r.Target == "/only-forbidden" ? forbidden : [new("X-Checksum", "sha256-abc"), new("Grpc-Status", "0"), .. forbidden],
        });
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        using HttpClient client = Http2Client(proxy);

        using HttpResponseMessage response = await client.GetAsync("/with-trailers", HttpCompletionOption.ResponseHeadersRead);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("checked body", body);
        Assert.Equal(["sha256-abc"], response.TrailingHeaders.GetValues("x-checksum"));
        Assert.Equal(["0"], response.TrailingHeaders.GetValues("grpc-status"));
        Assert.Equal(["grpc-status", "x-checksum"], response.TrailingHeaders.Select(h => h.Key.ToLowerInvariant()).Order());

        using HttpResponseMessage none = await client.GetAsync("/only-forbidden");
        Assert.Equal("checked body", await none.Content.ReadAsStringAsync());
        Assert.Empty(none.TrailingHeaders);
    }

    [Fact]
    public async Task HttpClient_NoRoute_Gets404OverHttp2()
    {
        await using var origin = new TestOrigin();
        ProxyConfig config = H2cConfig(origin) with { Routes = [new RouteConfig { Name = "only", Cluster = "backend", Hosts = ["only.example"] }] };
        await using var proxy = InProcessProxy.Start(config);
        using HttpClient client = Http2Client(proxy);

        using HttpResponseMessage response = await client.GetAsync("/");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task HttpClient_HeadOverLimit_Gets431LikeHttp11()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        using HttpClient client = Http2Client(proxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-big", new string('a', 20_000));     // over max_request_head (16 KiB), under the HPACK limit

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Curl_PriorKnowledge_GetAndPost()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"{r.Method} {r.Target} {r.BodyLength}"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        string url = new Uri(proxy.BaseUri, "/curl").ToString();

        Curl.Result get = await Curl.RunAsync("--http2-prior-knowledge", "-w", " %{http_version}", url);
        Curl.Result post = await Curl.RunAsync("--http2-prior-knowledge", "--data-binary", "0123456789", url);

        Assert.Equal("GET /curl 0 2", get.Stdout);
        Assert.Equal("POST /curl 10", post.Stdout);
    }

    [Fact]
    public async Task Curl_UpgradeToH2cFromHttp11_IsAnsweredAsPlainHttp11()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Has("Upgrade") || r.Has("HTTP2-Settings") ? "leaked" : "plain"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));

        // --http2 over http:// asks for "Upgrade: h2c"; like nginx, the proxy ignores it and answers in HTTP/1.1.
        Curl.Result result = await Curl.RunAsync("--http2", "-w", " %{http_version}", new Uri(proxy.BaseUri, "/up").ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("plain 1.1", result.Stdout);
    }

    [Fact]
    public async Task Nghttp_Get_Succeeds()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text("from nghttp"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin, ListenerProtocol.H2c));

        ExternalTool.Result result = await ExternalTool.RunAsync("nghttp", ToolTimeout, "-n", "-v", "-t", "20", new Uri(proxy.BaseUri, "/n").ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(":status: 200", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("recv SETTINGS frame", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task H2load_ManyStreamsOnFewConnections_AllSucceed()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text("ok"));
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));

        ExternalTool.Result result = await ExternalTool.RunAsync("h2load", ToolTimeout, "-n", "1000", "-c", "4", "-m", "10",
            new Uri(proxy.BaseUri, "/load").ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1000 succeeded, 0 failed, 0 errored", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1000 2xx", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_StreamInFlightFinishes_ThenConnectionCloses()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text("late") with { Delay = TimeSpan.FromMilliseconds(700) });
        await using var proxy = InProcessProxy.Start(H2cConfig(origin));
        using HttpClient client = Http2Client(proxy);
        Assert.Equal("late", await client.GetStringAsync("/warm-up"));

        Task<string> inFlight = client.GetStringAsync("/in-flight");
        while (origin.Requests.Count < 2) await Task.Delay(10);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await proxy.Server.StopAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("late", await inFlight);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
        Assert.Equal(0, proxy.Server.Context.Connections.Count);
    }

    [Fact]
    public async Task Http1OnlyListener_Http2Preface_IsRefusedAsHttp11()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(H2cConfig(origin, ListenerProtocol.Http1));

        Curl.Result result = await Curl.RunAsync("--http2-prior-knowledge", new Uri(proxy.BaseUri, "/").ToString());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(origin.Requests);
    }

    /// <summary>A body whose length HttpClient cannot know, so it sends no content-length, in 16 KiB writes.</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int offset = 0; offset < body.Length; offset += 16384)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16384, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static string Checksum(byte[] data) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data))[..16];
}
