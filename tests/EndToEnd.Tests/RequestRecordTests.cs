using System.Net;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// What each finished request leaves behind, seen from outside: the x-request-id both sides get, the access log line,
/// and the metrics that count routes, retries and errors.
/// </summary>
public sealed class RequestRecordTests
{
    [Fact]
    public async Task RequestId_IsGenerated_SentUpstream_AndReturnedToTheClient()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("ok") with { Headers = [new("X-Request-Id", "origin-made")] });
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/");

        string id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", id);
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal(id, seen.Header("X-Request-Id"));
    }

    [Fact]
    public async Task RequestId_AValidOneFromTheClient_IsKept()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Request-Id", "client-chose-this");

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal("client-chose-this", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Equal("client-chose-this", Assert.Single(origin.Requests).Header("X-Request-Id"));
    }

    [Fact]
    public async Task AccessLog_WritesOneJsonLinePerRequest_WithRouteDestinationAndRetries()
    {
        await using var live = new TestOrigin();
        string dead = $"127.0.0.1:{TestConfigs.UnusedPort()}";
        string logPath = Path.Combine(Path.GetTempPath(), $"proxy-access-{Guid.NewGuid():N}.log");
        try
        {
            await using (var proxy = TomlProxy.Start("", $"""
                [clusters.retry]
                attempts = 1
                on = ["connect_failure"]

                [access_log]
                enabled = true
                path = "{logPath}"
                """, dead, live.Address))
            {
                using HttpClient client = proxy.CreateClient();
                for (int i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/item/{i}?secret=1")).StatusCode);
            }

            JsonElement[] lines = [.. File.ReadAllLines(logPath).Select(line => JsonDocument.Parse(line).RootElement)];
            Assert.Equal(4, lines.Length);
            JsonElement[] items = [.. lines.Where(l => l.GetProperty("path").GetString()!.StartsWith("/item/", StringComparison.Ordinal))];
            Assert.Equal(4, items.Length);
            Assert.All(items, line =>
            {
                Assert.Equal(200, line.GetProperty("status").GetInt32());
                Assert.Equal("all", line.GetProperty("route").GetString());
                Assert.Equal("backend", line.GetProperty("cluster").GetString());
                Assert.Equal(live.Address, line.GetProperty("destination").GetString());
                Assert.Equal("GET", line.GetProperty("method").GetString());
                Assert.False(line.TryGetProperty("query", out _));     // include_query is off by default
                Assert.True(line.GetProperty("bytes_received").GetInt64() > 0);
                Assert.Matches("^[0-9a-f]{32}$", line.GetProperty("request_id").GetString()!);
            });
            // Round robin meets the dead destination on every other request; each of those was retried once.
            Assert.Equal(2, items.Count(l => l.GetProperty("retries").GetInt32() == 1));
        }
        finally
        {
            File.Delete(logPath);
        }
    }
}
