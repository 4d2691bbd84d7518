using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>SIGHUP reloads the running executable's configuration, and a bad file leaves it running as it was.</summary>
public sealed class SignalReloadTests
{
    private const int SigHup = 1;

    [Fact]
    public async Task SigHup_ReloadsTheFile_AndABrokenFileIsRefusedWithoutStopping()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["a"] = a, ["b"] = b };
        // Written after start: the executable also watches the file, but the signal must work on its own, so the
        // rewrite and the signal are both done and either may be first.
        config.Write(config.Render(clusters, [("/", "a")]));
        await using ProxyProcess proxy = ProxyProcess.Start("run", "--config", config.Path);
        await proxy.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{config.Port}/") };
        Assert.Equal("a", await client.GetStringAsync("/"));

        config.Write(config.Render(clusters, [("/", "b")]));
        proxy.Signal(SigHup);
        Assert.True(await ReloadTests.EventuallyAsync(async () => await client.GetStringAsync("/") == "b"));

        config.Write("this is not TOML");
        proxy.Signal(SigHup);
        await proxy.WaitForLineAsync(l => l.Contains("refused", StringComparison.Ordinal) && l.Contains(config.Path, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.Equal("b", await client.GetStringAsync("/"));

        proxy.Signal(ProxyProcess.SigTerm);
        Assert.Equal(0, await proxy.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
