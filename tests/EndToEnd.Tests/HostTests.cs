using System.Net;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>The `proxy` executable itself: commands, exit codes, signals, the demo, the admin API.</summary>
public sealed class HostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Version_PrintsVersionAndExits0()
    {
        var (exitCode, output) = await ProxyProcess.RunToEndAsync(Patience, "--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task Check_ValidFile_Exits0()
    {
        using var files = new TomlFiles();
        string path = files.Write("ok.toml", TomlFiles.Basic(8080, 9901, "127.0.0.1:9001"));

        var (exitCode, output) = await ProxyProcess.RunToEndAsync(Patience, "check", path);

        Assert.Equal(0, exitCode);
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_InvalidFile_ListsEveryErrorWithFileAndLine_AndExits1()
    {
        using var files = new TomlFiles();
        string path = files.Write("bad.toml", """
            [server]
            workers = "many"

            [[routes]]
            name = "r"
            cluster = "missing"
            """);

        var (exitCode, output) = await ProxyProcess.RunToEndAsync(Patience, "check", path);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{path}:2:", output, StringComparison.Ordinal);
        Assert.Contains($"{path}:6:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);     // never a stack trace
    }

    [Fact]
    public async Task Run_MissingFile_SaysSoAndExits1()
    {
        var (exitCode, output) = await ProxyProcess.RunToEndAsync(Patience, "run", "--config", "/nonexistent/proxy.toml");

        Assert.Equal(1, exitCode);
        Assert.Contains("/nonexistent/proxy.toml", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PortInUse_SaysWhichAndExits1()
    {
        using var files = new TomlFiles();
        using var occupier = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        int busy = ((IPEndPoint)occupier.LocalEndpoint).Port;
        string path = files.Write("busy.toml", TomlFiles.Basic(busy, TestConfigs.UnusedPort(), "127.0.0.1:9001"));

        var (exitCode, output) = await ProxyProcess.RunToEndAsync(Patience, "run", "--config", path);

        Assert.Equal(1, exitCode);
        Assert.Contains($"127.0.0.1:{busy}", output, StringComparison.Ordinal);
        Assert.Contains("in use", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PortHeldByAnotherReusePortSocket_RefusesToShareIt()
    {
        using var files = new TomlFiles();
        using var other = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        other.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));     // SO_REUSEPORT, as a second proxy would set it
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        int busy = ((IPEndPoint)other.LocalEndPoint!).Port;
        string path = files.Write("shared.toml", TomlFiles.Basic(busy, TestConfigs.UnusedPort(), "127.0.0.1:9001"));

        var (exitCode, output) = await ProxyProcess.RunToEndAsync(Patience, "run", "--config", path);

        Assert.Equal(1, exitCode);
        Assert.Contains("in use", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_AnswersFromBothBuiltInOriginsInTurn()
    {
        await using ProxyProcess demo = ProxyProcess.Start("demo", "--port", "0");
        string proxyLine = await demo.WaitForLineAsync(l => l.TrimStart().StartsWith("proxy ", StringComparison.Ordinal) && l.Contains("http://", StringComparison.Ordinal), Patience);
        var url = new Uri(proxyLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

        var origins = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            Curl.Result result = await Curl.RunAsync(new Uri(url, "/hello").ToString());
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Hello from origin", result.Stdout, StringComparison.Ordinal);
            origins.Add(result.Stdout.Split('\n')[0]);
        }

        Assert.Equal(2, origins.Distinct().Count());
        Assert.NotEqual(origins[0], origins[1]);
        Assert.Equal(origins[0], origins[2]);
    }

    [Fact]
    public async Task SigTerm_LetsInFlightRequestFinish_ThenExits0()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("slow but complete") with { Delay = TimeSpan.FromSeconds(1) });
        using var files = new TomlFiles();
        int port = TestConfigs.UnusedPort();
        string path = files.Write("p.toml", TomlFiles.Basic(port, TestConfigs.UnusedPort(), origin.Address));
        await using ProxyProcess proxy = ProxyProcess.Start("run", "--config", path);
        await proxy.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal), Patience);
        using var client = new HttpClient();

        Task<string> inFlight = client.GetStringAsync($"http://127.0.0.1:{port}/slow");
        while (origin.Requests.IsEmpty) await Task.Delay(10);
        proxy.Signal(ProxyProcess.SigTerm);

        Assert.Equal("slow but complete", await inFlight);
        Assert.Equal(0, await proxy.WaitForExitAsync(Patience));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync($"http://127.0.0.1:{port}/after"));
    }

    [Fact]
    public async Task AdminStats_ReportsRequestsAndAllocationPerRequest()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };
        await admin.GetStringAsync("/admin/stats");      // opens the window

        for (int i = 0; i < 10; i++) await client.GetStringAsync("/");
        using JsonDocument stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/stats"));

        JsonElement root = stats.RootElement;
        Assert.Equal(10, root.GetProperty("requests").GetProperty("total").GetInt64());
        Assert.Equal(10, root.GetProperty("requests").GetProperty("responses").GetProperty("2xx").GetInt64());
        JsonElement window = root.GetProperty("allocations").GetProperty("since_previous_call");
        Assert.Equal(10, window.GetProperty("requests").GetInt64());
        Assert.True(window.GetProperty("bytes_per_request").GetDouble() >= 0);
        JsonElement destination = root.GetProperty("clusters")[0].GetProperty("destinations")[0];
        Assert.Equal(origin.Address, destination.GetProperty("address").GetString());
        // The same names as /admin/clusters gives the same figures.
        Assert.Equal(10, destination.GetProperty("requests_total").GetInt64());
        JsonElement pool = destination.GetProperty("pool");
        Assert.Equal(10, pool.GetProperty("opened").GetInt64() + pool.GetProperty("reused").GetInt64());
        // Moving figures (a response reaches the client a moment before its request ends here): present, not exact.
        Assert.InRange(destination.GetProperty("requests_in_flight").GetInt64(), 0, 1);
        foreach (string figure in new[] { "idle", "active", "open", "closed" }) Assert.InRange(pool.GetProperty(figure).GetInt64(), 0, 10);
    }

    [Fact]
    public async Task AdminToken_RequiredWhenConfigured()
    {
        await using var origin = new TestOrigin();
        var config = TestConfigs.OneCluster(origin);
        config = config with { Admin = config.Admin with { Token = "s3cret" } };
        await using var proxy = InProcessProxy.Start(config);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };

        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/admin/stats")).StatusCode);
        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/admin/stats");
        authorized.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(authorized)).StatusCode);
    }
}
