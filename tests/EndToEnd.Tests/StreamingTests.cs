using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// 100 MB bodies through the real executable, in both directions, over HTTP/1.1 and over HTTP/2 (h2c with prior
/// knowledge), while its resident memory is watched: bodies stream with back-pressure (flow-control windows on
/// HTTP/2) and are never held whole.
/// </summary>
public sealed class StreamingTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private const long AllowedGrowth = 16L * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload100MB_StreamsThrough_WithBoundedMemory(bool http2)
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"got {r.BodyLength}"));
        await using var run = await RunningProxy.StartAsync(origin);
        using HttpClient client = Client(http2);

        var content = new StreamContent(new GeneratedStream(HundredMegabytes), 64 * 1024);
        content.Headers.ContentLength = HundredMegabytes;
        string answer = await run.WatchMemoryWhileAsync(async () =>
        {
            using HttpResponseMessage response = await client.PostAsync(run.Url("/upload"), content);
            Assert.Equal(http2 ? HttpVersion.Version20 : HttpVersion.Version11, response.Version);
            return await response.Content.ReadAsStringAsync();
        });

        Assert.Equal($"got {HundredMegabytes}", answer);
        Assert.True(run.Growth < AllowedGrowth, $"proxy memory grew by {run.Growth / 1024 / 1024} MB");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Download100MB_StreamsThrough_WithBoundedMemory(bool http2)
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { GeneratedBodyLength = HundredMegabytes });
        await using var run = await RunningProxy.StartAsync(origin);
        using HttpClient client = Client(http2);

        long received = await run.WatchMemoryWhileAsync(async () =>
        {
            using HttpResponseMessage response = await client.GetAsync(run.Url("/big"), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(http2 ? HttpVersion.Version20 : HttpVersion.Version11, response.Version);
            await using Stream body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                for (int i = 0; i < read; i += 4099)
                {
                    Assert.Equal(OriginResponse.GeneratedByte(total + i), buffer[i]);
                }
                total += read;
            }
            return total;
        });

        Assert.Equal(HundredMegabytes, received);
        Assert.True(run.Growth < AllowedGrowth, $"proxy memory grew by {run.Growth / 1024 / 1024} MB");
    }

    // HTTP/2 with prior knowledge: "OrLower" would fall back to HTTP/1.1 over http:// without saying so.
    private static HttpClient Client(bool http2) => new()
    {
        Timeout = TimeSpan.FromMinutes(2),
        DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>The executable in front of an origin (a listener taking HTTP/1.1 and h2c), with its memory sampled around a transfer.</summary>
    private sealed class RunningProxy : IAsyncDisposable
    {
        private readonly ProxyProcess _process;
        private readonly TomlFiles _files;
        private readonly int _port;

        private RunningProxy(ProxyProcess process, TomlFiles files, int port)
        {
            _process = process;
            _files = files;
            _port = port;
        }

        public long Growth { get; private set; }

        public Uri Url(string path) => new($"http://127.0.0.1:{_port}{path}");

        public static async Task<RunningProxy> StartAsync(TestOrigin origin)
        {
            var files = new TomlFiles();
            int port = TestConfigs.UnusedPort();
            string basic = TomlFiles.Basic(port, TestConfigs.UnusedPort(), origin.Address);
            string listen = $"listen = \"127.0.0.1:{port}\"";
            string config = files.Write("proxy.toml", basic.Replace(listen, listen + "\nprotocols = [\"http1\", \"h2c\"]", StringComparison.Ordinal));
            ProxyProcess process = ProxyProcess.Start("run", "--config", config);
            await process.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            var run = new RunningProxy(process, files, port);
            using var warmUp = new HttpClient();
            for (int i = 0; i < 20; i++) await warmUp.GetAsync(run.Url("/warm-up"));
            return run;
        }

        public async Task<T> WatchMemoryWhileAsync<T>(Func<Task<T>> transfer)
        {
            long before = _process.ResidentBytes();
            long peak = before;
            using var done = new CancellationTokenSource();
            Task sampler = Task.Run(async () =>
            {
                while (!done.IsCancellationRequested)
                {
                    peak = Math.Max(peak, _process.ResidentBytes());
                    try { await Task.Delay(50, done.Token); } catch (OperationCanceledException) { }
                }
            });
            T result = await transfer();
            await done.CancelAsync();
            await sampler;
            Growth = Math.Max(peak, _process.ResidentBytes()) - before;
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            await _process.DisposeAsync();
            _files.Dispose();
        }
    }

    /// <summary>A read-only stream of <see cref="OriginResponse.GeneratedByte"/> bytes, never held in memory.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            for (int i = 0; i < n; i++) buffer[offset + i] = OriginResponse.GeneratedByte(_position + i);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
