using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Config;

namespace Proxy.EndToEnd.Tests;

/// <summary>max_connections, and many slow clients against the header timeout (slowloris).</summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task OverMaxConnections_NewConnectionsWait_AndAreServedWhenOthersClose()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target));
        ProxyConfig config = TestConfigs.OneCluster(origin);
        // Two accept loops sharing a cap of two: a connection must be served whichever loop the kernel gives it to.
        config = config with { Limits = config.Limits with { MaxConnections = 2 }, Server = config.Server with { Workers = 2 } };
        await using var proxy = InProcessProxy.Start(config);

        var first = new RawHttp(proxy.EndPoint);
        var second = new RawHttp(proxy.EndPoint);
        Assert.Equal("/1", await GetAsync(first, "/1"));
        Assert.Equal("/2", await GetAsync(second, "/2"));

        // Over the cap: the kernel completes the handshake, but nobody answers.
        using var third = new RawHttp(proxy.EndPoint);
        using var fourth = new RawHttp(proxy.EndPoint);
        await third.SendAsync("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
        await fourth.SendAsync("GET /4 HTTP/1.1\r\nHost: a\r\n\r\n");
        Task<RawResponse> thirdAnswer = third.ReadResponseAsync();
        Task<RawResponse> fourthAnswer = fourth.ReadResponseAsync();
        await Task.Delay(500);
        Assert.False(thirdAnswer.IsCompleted || fourthAnswer.IsCompleted, "a connection over max_connections was served");
        Assert.Equal(2, proxy.Server.Context.Stats.ConnectionsAccepted);

        // Each close makes room for one waiting connection.
        first.Dispose();
        Task<RawResponse> served = await Task.WhenAny(thirdAnswer, fourthAnswer).WaitAsync(Patience);
        Assert.Equal(200, (await served).Status);
        Task<RawResponse> stillWaiting = served == thirdAnswer ? fourthAnswer : thirdAnswer;
        await Task.Delay(300);
        Assert.False(stillWaiting.IsCompleted, "two connections were served for one place");

        second.Dispose();
        Assert.Equal(200, (await stillWaiting.WaitAsync(Patience)).Status);
        Assert.Equal(["/1", "/2", "/3", "/4"], origin.Requests.Select(r => r.Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AtMaxConnections_StopDoesNotHang()
    {
        await using var origin = new TestOrigin();
        ProxyConfig config = TestConfigs.OneCluster(origin);
        config = config with { Limits = config.Limits with { MaxConnections = 1 }, Server = config.Server with { Workers = 2 } };
        await using var proxy = InProcessProxy.Start(config);
        using var holder = new RawHttp(proxy.EndPoint);
        Assert.Equal("hello from origin", await GetAsync(holder, "/"));
        using var waiting = new RawHttp(proxy.EndPoint);
        using var waitingToo = new RawHttp(proxy.EndPoint);
        await Task.Delay(200);

        await proxy.Server.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(Patience);
    }

    /// <summary>
    /// 1,000 connections each trickle a head one byte per second. A normal client, meanwhile, is answered as usual;
    /// each slow connection gets 408 and a close at client_header_timeout, however many bytes it managed to send.
    /// </summary>
    [Fact]
    public async Task Slowloris_ThousandTricklingConnections_NormalClientUnaffected_EachSlowOneGets408AtTimeout()
    {
        const int SlowConnections = 1000;
        TimeSpan headerTimeout = TimeSpan.FromSeconds(3);
        EnsureFileDescriptors(SlowConnections * 2 + 500);

        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target));
        ProxyConfig config = TestConfigs.OneCluster(origin);
        config = config with { Limits = config.Limits with { ClientHeaderTimeout = headerTimeout } };
        await using var proxy = InProcessProxy.Start(config);

        var slow = new SlowClient[SlowConnections];
        await Parallel.ForEachAsync(Enumerable.Range(0, SlowConnections), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => slow[i] = await SlowClient.ConnectAsync(proxy));
        using var stopTrickling = new CancellationTokenSource();
        Task trickling = TrickleAsync(slow, stopTrickling.Token);

        // A normal client, on a new connection each time, for as long as the slow ones are trickling.
        var latencies = new List<TimeSpan>();
        var normalClock = Stopwatch.StartNew();
        int normal = 0;
        while (normalClock.Elapsed < headerTimeout - TimeSpan.FromMilliseconds(500))
        {
            using var client = new RawHttp(proxy.EndPoint);
            var clock = Stopwatch.StartNew();
            string path = $"/normal/{normal++}";
            Assert.Equal(path, await GetAsync(client, path));
            latencies.Add(clock.Elapsed);
            await Task.Delay(20);
        }

        SlowOutcome[] outcomes = await Task.WhenAll(slow.Select(s => s.Outcome)).WaitAsync(Patience);
        await stopTrickling.CancelAsync();
        await trickling;
        foreach (SlowClient client in slow) client.Dispose();

        // Generous bounds: a behaviour check (nobody waits behind the slow connections), not a benchmark.
        latencies.Sort();
        TimeSpan median = latencies[latencies.Count / 2], worst = latencies[^1];
        Assert.True(latencies.Count >= 10, $"only {latencies.Count} normal requests in {normalClock.Elapsed}");
        Assert.True(median < TimeSpan.FromMilliseconds(250) && worst < TimeSpan.FromSeconds(2),
            $"normal requests slowed down: median {median.TotalMilliseconds} ms, worst {worst.TotalMilliseconds} ms over {latencies.Count}");

        SlowOutcome[] wrong = outcomes.Where(o => !o.Response.StartsWith("HTTP/1.1 408 ", StringComparison.Ordinal)
                                                  || !o.Response.Contains("\r\nConnection: close\r\n", StringComparison.Ordinal)).ToArray();
        Assert.True(wrong.Length == 0, $"{wrong.Length} slow connections did not get 408 + close; e.g. '{wrong.FirstOrDefault()?.Response}'");
        TimeSpan earliest = outcomes.Min(o => o.AnsweredAfter), latest = outcomes.Max(o => o.AnsweredAfter);
        Assert.True(earliest >= headerTimeout - TimeSpan.FromMilliseconds(50) && latest < headerTimeout + TimeSpan.FromSeconds(5),
            $"408s came between {earliest.TotalMilliseconds} and {latest.TotalMilliseconds} ms, timeout {headerTimeout.TotalMilliseconds} ms");
        Assert.All(outcomes, o => Assert.True(o.Closed, "a slow connection was answered but not closed"));
        Assert.DoesNotContain(origin.Requests, r => !r.Target.StartsWith("/normal/", StringComparison.Ordinal));
    }

    private static async Task<string> GetAsync(RawHttp client, string path)
    {
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: a\r\n\r\n");
        return (await client.ReadResponseAsync().WaitAsync(Patience)).BodyText;
    }

    /// <summary>Every second, one more byte of a head on every slow connection that is still open.</summary>
    private static async Task TrickleAsync(SlowClient[] clients, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await tick.WaitForNextTickAsync(stop))
            {
                foreach (SlowClient client in clients) client.SendNextByte();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The proxy needs one descriptor per slow connection, and so does the test (same process).</summary>
    private static void EnsureFileDescriptors(int needed)
    {
        string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        if (line is null) return;
        string soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        if (soft == "unlimited") return;
        long limit = long.Parse(soft, CultureInfo.InvariantCulture);
        Assert.True(limit >= needed, $"this test needs {needed} file descriptors, the soft limit is {limit}: raise it (ulimit -n) before running the tests");
    }

    private sealed record SlowOutcome(string Response, TimeSpan AnsweredAfter, bool Closed);

    /// <summary>A connection that sends a head one byte at a time and records what comes back, and when.</summary>
    private sealed class SlowClient : IDisposable
    {
        private static readonly byte[] Head = Encoding.ASCII.GetBytes("GET /slow HTTP/1.1\r\nHost: slow.test\r\nX-Padding: " + new string('p', 100) + "\r\n\r\n");
        private readonly Socket _socket;
        private readonly Stopwatch _clock;
        private int _sent;
        private volatile bool _answered;

        private SlowClient(Socket socket, Stopwatch clock)
        {
            _socket = socket;
            _clock = clock;
            Outcome = ReadAsync();
        }

        public Task<SlowOutcome> Outcome { get; }

        public static async Task<SlowClient> ConnectAsync(InProcessProxy proxy)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            // Started before connecting: the proxy cannot start its header timeout any earlier than this.
            var clock = Stopwatch.StartNew();
            await socket.ConnectAsync(proxy.EndPoint);
            var client = new SlowClient(socket, clock);
            client.SendNextByte();
            return client;
        }

        public void SendNextByte()
        {
            if (_answered || _sent >= Head.Length) return;
            try
            {
                _socket.Send(Head, _sent, 1, SocketFlags.None);
                _sent++;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _answered = true;
            }
        }

        private async Task<SlowOutcome> ReadAsync()
        {
            var received = new MemoryStream();
            var buffer = new byte[1024];
            TimeSpan answeredAfter = TimeSpan.MaxValue;
            bool closed = false;
            try
            {
                while (true)
                {
                    int read = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        closed = true;
                        break;
                    }
                    if (received.Length == 0) answeredAfter = _clock.Elapsed;
                    _answered = true;
                    received.Write(buffer, 0, read);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                closed = true;    // reset after the close: closed too
            }
            return new SlowOutcome(Encoding.Latin1.GetString(received.ToArray()), answeredAfter, closed);
        }

        public void Dispose() => _socket.Dispose();
    }
}
