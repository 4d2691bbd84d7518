using System.Net;
using System.Text;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Config;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// An HTTP/2 connection reuses its ended streams (the stream, its two pipes, its HTTP/1.1 connection and forwarder) and
/// the pipes' memory blocks: a stream ended in any way must leave nothing behind that the next one could see, and the
/// path must allocate nothing per request (DESIGN.md), measured like <see cref="AllocationTests"/>.
/// </summary>
public sealed class Http2StreamReuseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Streams cancelled by the client (RST_STREAM) at random points — before the head went upstream, while the body
    /// uploads, while the response streams — then more streams on the same connection, which reuse what those left:
    /// each answer must be exactly its own.
    /// </summary>
    [Fact]
    public async Task HttpClient_ManyStreamsResetAtRandomPoints_LaterStreamsGetTheirOwnUncorruptedResponses()
    {
        await using var origin = new TestOrigin(Answer);
        // Resets here are the test, not an attack: a budget they cannot exhaust.
        ProxyConfig config = Http2Tests.H2cConfig(origin) with
        {
            Limits = new LimitsConfig { Http2 = new Http2LimitsConfig { ResetBurst = 100_000, ResetRate = 100_000 } },
        };
        await using var proxy = InProcessProxy.Start(config);
        using HttpClient client = Http2Client(proxy);
        var random = new Random(20261124);

        // Round 1: every stream is cancelled after 0-15 ms; those that finish first must still be right.
        var cancelled = new List<Task>();
        for (int i = 0; i < 400; i++)
        {
            int id = i, delayMs = random.Next(16);
            cancelled.Add(Task.Run(async () =>
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(delayMs));
                try
                {
                    await RequestAndCheckAsync(client, id, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                }
                catch (HttpRequestException)
                {
                    // A cancelled upload can surface as a failed request rather than a cancellation.
                }
            }));
            if (i % 20 == 19) await Task.WhenAll(cancelled);
        }
        await Task.WhenAll(cancelled);

        // Round 2: the same connection, nothing cancelled: every answer exactly its own.
        await Task.WhenAll(Enumerable.Range(1000, 300).Select(id => RequestAndCheckAsync(client, id, CancellationToken.None)));

        Assert.Equal(1, proxy.Server.Context.Stats.ConnectionsAccepted);
    }

    /// <summary>Concurrent streams on one kept connection, after warm-up: nothing allocated per request.</summary>
    [Fact]
    public async Task Http2Requests_OneConnection_AllocateNothingPerRequest()
    {
        const double maxBytesPerRequest = 64;
        const int workers = 10, requestsPerWorker = 200;
        await using var origin = new TestOrigin(r => r.Target.StartsWith("/chunked", StringComparison.Ordinal)
            ? new OriginResponse { Body = new byte[700], Framing = OriginFraming.Chunked }
            : new OriginResponse { Body = new byte[700] });
        using var files = new TomlFiles();
        int port = TestConfigs.UnusedPort(), adminPort = TestConfigs.UnusedPort();
        string toml = TomlFiles.Basic(port, adminPort, origin.Address)
            .Replace($"listen = \"127.0.0.1:{port}\"", $"listen = \"127.0.0.1:{port}\"\nprotocols = [\"h2c\"]", StringComparison.Ordinal);
        string path = files.Write("p.toml", toml);
        await using ProxyProcess proxy = ProxyProcess.Start(new Dictionary<string, string>(), "run", "--config", path);
        await proxy.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal), Patience);
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/") };
        using var client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Patience,
        };

        // Warm-up: the connection and its streams made, pools filled, hot methods through tiered compilation.
        for (int round = 0; round < 3; round++) await LoadAsync();
        await admin.GetStringAsync("/admin/stats");             // opens the window
        await LoadAsync();
        using JsonDocument stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/stats"));

        JsonElement window = stats.RootElement.GetProperty("allocations").GetProperty("since_previous_call");
        Assert.Equal(workers * requestsPerWorker, window.GetProperty("requests").GetInt64());
        double perRequest = window.GetProperty("bytes_per_request").GetDouble();
        Assert.True(perRequest < maxBytesPerRequest, $"{perRequest} bytes allocated per request");

        Task LoadAsync() => Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < requestsPerWorker; i++)
            {
                using HttpResponseMessage response = (i % 3) switch
                {
                    0 => await client.GetAsync("/length"),
                    1 => await client.GetAsync("/chunked"),
                    _ => await client.PostAsync("/length", new ByteArrayContent("hello"u8.ToArray())),
                };
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(700, (await response.Content.ReadAsByteArrayAsync()).Length);
            }
        })));
    }

    private static HttpClient Http2Client(InProcessProxy proxy)
    {
        HttpClient client = Http2Tests.Http2Client(proxy);
        client.Timeout = Patience;
        return client;
    }

    // /get/{id}/{length}/{c|l}/{delayMs}: a body only this id has, framed by length or chunked, after a delay.
    // /post/{id}: the upload's length and checksum, with the id.
    private static OriginResponse Answer(OriginRequest request)
    {
        string[] parts = request.Target.Split('/');
        int id = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        if (parts[1] == "post") return OriginResponse.Text($"{id} {request.BodyLength} {Checksum(request.Body)}");
        int length = int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture);
        return new OriginResponse
        {
            Body = BodyOf(id, length),
            Framing = parts[4] == "c" ? OriginFraming.Chunked : OriginFraming.ContentLength,
            Delay = TimeSpan.FromMilliseconds(int.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    private static async Task RequestAndCheckAsync(HttpClient client, int id, CancellationToken cancel)
    {
        int kind = id % 4;
        if (kind == 3)
        {
            byte[] upload = BodyOf(id, 1 + (id * 7919 % 300_000));
            using HttpResponseMessage posted = await client.PostAsync($"/post/{id}", new ByteArrayContent(upload), cancel);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Equal($"{id} {upload.Length} {Checksum(upload)}", await posted.Content.ReadAsStringAsync(cancel));
            return;
        }
        int length = (id * 104_729) % 200_000;
        string framing = kind == 1 ? "c" : "l";
        int delayMs = id % 5;
        using HttpResponseMessage response = await client.GetAsync($"/get/{id}/{length}/{framing}/{delayMs}", cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancel);
        Assert.Equal(BodyOf(id, length), body);
    }

    private static byte[] BodyOf(int id, int length)
    {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) body[i] = (byte)((id * 31 + i * 7 + (i >> 8)) % 251);
        return body;
    }

    private static string Checksum(byte[] body)
    {
        uint sum = 17;
        foreach (byte b in body) sum = unchecked((sum * 31) + b);
        return sum.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
