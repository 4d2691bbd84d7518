using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>curl, a client operators use every day, against the proxy.</summary>
public sealed class CurlTests
{
    [Fact]
    public async Task Curl_Get_ShowsOriginAnswer()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"you asked for {r.Target}"));
        await using var proxy = InProcessProxy.Start(origin);

        Curl.Result result = await Curl.RunAsync(new Uri(proxy.BaseUri, "/curl?q=1").ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("you asked for /curl?q=1", result.Stdout);
    }

    [Fact]
    public async Task Curl_PostBothFramings_BodyArrives()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"{r.BodyLength} {(r.BodyWasChunked ? "chunked" : "length")}"));
        await using var proxy = InProcessProxy.Start(origin);
        string url = new Uri(proxy.BaseUri, "/post").ToString();

        Curl.Result withLength = await Curl.RunAsync("--data-binary", "0123456789", url);
        Curl.Result chunked = await Curl.RunAsync("-H", "Transfer-Encoding: chunked", "--data-binary", "0123456789", url);

        Assert.Equal("10 length", withLength.Stdout);
        Assert.Equal("10 chunked", chunked.Stdout);
    }

    [Fact]
    public async Task Curl_KeepAliveAcrossRequests_ReusesClientConnection()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        string url = new Uri(proxy.BaseUri, "/").ToString();

        Curl.Result result = await Curl.RunAsync("-v", url, url, url);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Re-using existing connection", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
