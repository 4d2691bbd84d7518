using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// The promise of a reload: under continuous load from several clients, configurations that move routes between
/// clusters (and broken files in between) never fail, reset or misroute a request.
/// </summary>
public sealed class ReloadUnderLoadTests
{
    private const int Reloads = 100;
    private const int Clients = 6;

    [Fact]
    public async Task HundredReloadsUnderLoad_NoRequestFails_AndEachIsAnsweredByAClusterItsSnapshotRoutedTo()
    {
        await using var x = new TestOrigin(_ => OriginResponse.Text("x"));
        await using var y = new TestOrigin(_ => OriginResponse.Text("y"));
        using var config = new ReloadableConfig();
        var clusters = new Dictionary<string, TestOrigin> { ["x"] = x, ["y"] = y };
        // Two configurations that swap where /a/ and /b/ go.
        var mappings = new[]
        {
            new Dictionary<string, string> { ["/a/"] = "x", ["/b/"] = "y" },
            new Dictionary<string, string> { ["/a/"] = "y", ["/b/"] = "x" },
        };
        string Render(int which) => config.Render(clusters, mappings[which].Select(m => (m.Key, m.Value)));
        config.Write(Render(0));
        await using var proxy = InProcessProxy.StartFile(config.Path);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUri };

        var clock = Stopwatch.StartNew();
        // Live intervals: configuration k may be running from just before its file was written (the file
        // watcher can apply it before we ask) until the next valid reload has returned.
        var live = new List<(TimeSpan From, TimeSpan Until, int Mapping)>();
        var results = new ConcurrentBag<(string Path, TimeSpan Start, TimeSpan End, string Answer)>();
        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        Task[] load = [.. Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using HttpClient http = proxy.CreateClient();
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string path = (i + client) % 2 == 0 ? "/a/" : "/b/";
                TimeSpan start = clock.Elapsed;
                try
                {
                    using HttpResponseMessage response = await http.GetAsync(path);
                    string body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK) failures.Add($"{path}: {(int)response.StatusCode} {body}");
                    else results.Add((path, start, clock.Elapsed, body));
                }
                catch (HttpRequestException ex)
                {
                    failures.Add($"{path}: {ex.Message}");
                }
            }
        }))];

        TimeSpan liveSince = TimeSpan.Zero;
        int running = 0;
        for (int reload = 1; reload <= Reloads; reload++)
        {
            await Task.Delay(10);
            if (reload % 10 == 0)
            {
                // A broken file: refused, and nothing changes.
                config.Write(Render(running).Replace("cluster = \"x\"", "cluster = \"nowhere\"", StringComparison.Ordinal));
                HttpResponseMessage refused = await admin.PostAsync("/admin/reload", null);
                Assert.Equal((HttpStatusCode)422, refused.StatusCode);
                continue;
            }
            int next = 1 - running;
            TimeSpan written = clock.Elapsed;
            config.Write(Render(next));
            HttpResponseMessage answer = await admin.PostAsync("/admin/reload", null);
            string outcome = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement
                .GetProperty("reload").GetProperty("result").GetString()!;
            Assert.True(outcome is "applied" or "unchanged", $"reload {reload}: {outcome}");
            live.Add((liveSince, clock.Elapsed, running));
            liveSince = written;
            running = next;
        }
        await Task.Delay(100);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        live.Add((liveSince, TimeSpan.MaxValue, running));

        Assert.Empty(failures);
        Assert.True(results.Count > Reloads, $"only {results.Count} requests ran during {Reloads} reloads");
        foreach (var (path, start, end, answer) in results)
        {
            var allowed = live.Where(l => l.From < end && l.Until > start).Select(l => mappings[l.Mapping][path]).ToHashSet();
            Assert.True(allowed.Contains(answer), $"{path} started at {start}, ended at {end}: answered by {answer}, allowed {string.Join(",", allowed)}");
        }
    }
}
