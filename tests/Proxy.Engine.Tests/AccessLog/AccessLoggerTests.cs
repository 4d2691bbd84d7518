using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Proxy.Engine.AccessLog;
using Proxy.Engine.Config;
using Proxy.Engine.Metrics;
using Proxy.Engine.Tests.Metrics;

namespace Proxy.Engine.Tests.AccessLog;

/// <summary>Lines parsed back as JSON; sampling; errors always logged; drops when the writer is behind; reopening.</summary>
public sealed class AccessLoggerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly MetricsTestBed _bed = new();

    [Fact]
    public void Log_FullRecord_WritesOneJsonLineWithEveryField()
    {
        var output = new GateStream();
        var time = new FixedTime(new DateTimeOffset(2025, 6, 1, 12, 0, 1, TimeSpan.Zero));
        using (var logger = Logger(new AccessLogConfig { IncludeQuery = true }, output, time: time))
        {
            RequestRecord record = MetricsTestBed.Record(_bed.Api, 502, seconds: 0.25, upstreamSeconds: 0.125,
                destination: _bed.Metrics.Destination("api", MetricsTestBed.Api2), error: RequestError.UpstreamReset, retries: 2,
                bytesReceived: 321, bytesSent: 654);
            record.Method = "POST"u8;
            record.Host = "api.example.com"u8;
            record.Path = "/api/users/7"u8;
            record.Query = "page=2&q=\"x\""u8;
            record.ClientAddress = "203.0.113.7"u8;
            record.RequestId = "req-42"u8;
            record.TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"u8;
            logger.Log(in record);
        }

        string text = Encoding.UTF8.GetString(output.Received);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Single(text.TrimEnd('\n').Split('\n'));
        using JsonDocument line = JsonDocument.Parse(text);
        JsonElement root = line.RootElement;
        Assert.Equal(
            ["time", "request_id", "traceparent", "client", "method", "host", "path", "query", "status", "bytes_received", "bytes_sent",
             "duration_ms", "upstream_duration_ms", "route", "cluster", "destination", "retries", "error"],
            root.EnumerateObject().Select(property => property.Name));
        Assert.Equal(new DateTime(2025, 6, 1, 12, 0, 0, 750, DateTimeKind.Utc), root.GetProperty("time").GetDateTime().ToUniversalTime());
        Assert.Equal("req-42", root.GetProperty("request_id").GetString());
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", root.GetProperty("traceparent").GetString());
        Assert.Equal("203.0.113.7", root.GetProperty("client").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("api.example.com", root.GetProperty("host").GetString());
        Assert.Equal("/api/users/7", root.GetProperty("path").GetString());
        Assert.Equal("page=2&q=\"x\"", root.GetProperty("query").GetString());
        Assert.Equal(502, root.GetProperty("status").GetInt32());
        Assert.Equal(321, root.GetProperty("bytes_received").GetInt64());
        Assert.Equal(654, root.GetProperty("bytes_sent").GetInt64());
        Assert.Equal(250, root.GetProperty("duration_ms").GetDouble(), 3);
        Assert.Equal(125, root.GetProperty("upstream_duration_ms").GetDouble(), 3);
        Assert.Equal("api", root.GetProperty("route").GetString());
        Assert.Equal("api", root.GetProperty("cluster").GetString());
        Assert.Equal(MetricsTestBed.Api2, root.GetProperty("destination").GetString());
        Assert.Equal(2, root.GetProperty("retries").GetInt32());
        Assert.Equal("upstream_reset", root.GetProperty("error").GetString());
    }

    [Fact]
    public void Log_UnmatchedRequestWithoutUpstream_WritesNullsAndNoQueryByDefault()
    {
        var output = new GateStream();
        using (var logger = Logger(new AccessLogConfig(), output))
        {
            RequestRecord record = MetricsTestBed.Record(null, 404, upstreamSeconds: 0, error: RequestError.NoRoute);
            record.Query = "token=secret"u8;
            logger.Log(in record);
        }

        using JsonDocument line = JsonDocument.Parse(output.Received);
        JsonElement root = line.RootElement;
        Assert.False(root.TryGetProperty("query", out _));
        foreach (string field in new[] { "request_id", "traceparent", "client", "host", "upstream_duration_ms", "route", "cluster", "destination" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(field).ValueKind);
        }
        Assert.Equal("no_route", root.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, Parse(LogOne(MetricsTestBed.Record(_bed.Api, 200))).GetProperty("error").ValueKind);
    }

    [Fact]
    public void Log_PathWithQuotesControlsAndInvalidUtf8_StaysOneValidJsonLine()
    {
        RequestRecord record = MetricsTestBed.Record(_bed.Api, 200);
        record.Path = [(byte)'/', (byte)'"', (byte)'\\', (byte)'\n', 0xFF, (byte)'<', (byte)'+'];

        JsonElement root = Parse(LogOne(record));

        Assert.Equal("/\"\\\n\u00FF<+", root.GetProperty("path").GetString());
    }

    [Fact]
    public void Log_SampleRateTenPercent_LogsAboutOneRequestInTen()
    {
        var output = new GateStream();
        using (var logger = Logger(new AccessLogConfig { SampleRate = 0.1, MaxQueuedLines = 1 << 14 }, output, random: new SeededRandom(12345)))
        {
            RequestRecord ok = MetricsTestBed.Record(_bed.Api, 200);
            RequestRecord notFound = MetricsTestBed.Record(_bed.Api, 404);
            for (int i = 0; i < 10_000; i++) logger.Log(i % 2 == 0 ? ok : notFound);
        }

        int lines = Lines(output).Length;
        // Binomial(10000, 0.1): mean 1000, standard deviation 30; the seed makes it repeatable, the bound keeps it honest.
        Assert.InRange(lines, 900, 1100);
        Assert.Equal(0, _bed.Metrics.AccessLog.Dropped);
    }

    [Fact]
    public void Log_SampleRateZero_StillLogsEveryServerSideFailure()
    {
        var output = new GateStream();
        using (var logger = Logger(new AccessLogConfig { SampleRate = 0 }, output))
        {
            foreach (int status in new[] { 200, 404, 499, 500, 502, 503, 504 })
            {
                RequestRecord record = MetricsTestBed.Record(_bed.Api, status);
                logger.Log(in record);
            }
            RequestRecord refused = MetricsTestBed.Record(_bed.Api, 400, error: RequestError.BadRequest);
            logger.Log(in refused);
            RequestRecord cutMidBody = MetricsTestBed.Record(_bed.Api, 200, error: RequestError.IdleTimeout);
            logger.Log(in cutMidBody);
        }

        Assert.Equal([500, 502, 503, 504, 200], Lines(output).Select(line => Parse(line).GetProperty("status").GetInt32()));
    }

    [Fact]
    public void Log_WriterStalledAndQueueFull_DropsAndCountsWithoutBlocking()
    {
        var output = new GateStream(open: false);
        var logger = Logger(new AccessLogConfig { MaxQueuedLines = 16 }, output);
        RequestRecord record = MetricsTestBed.Record(_bed.Api, 200);
        logger.Log(in record);
        Assert.True(output.WaitForWrite(Patience));          // the writer holds the first line, stuck in its write

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 100; i++) logger.Log(in record);
        clock.Stop();

        Assert.Equal(100 - 16, _bed.Metrics.AccessLog.Dropped);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"logging took {clock.Elapsed}");
        output.Open();
        logger.Dispose();
        Assert.Equal(17, Lines(output).Length);
        Assert.Equal(17, _bed.Metrics.AccessLog.Written);
        Assert.Equal(84, _bed.Scrape()["proxy_access_log_dropped_lines_total"]);
    }

    [Fact]
    public void Reopen_AfterTheFileWasMoved_WritesToANewFileAtThePath()
    {
        string directory = Path.Combine(Path.GetTempPath(), "proxy-access-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(directory, "access.log");
        try
        {
            using (var logger = new AccessLogger(new AccessLogConfig { Enabled = true, Path = path }, _bed.Metrics.AccessLog))
            {
                RequestRecord record = MetricsTestBed.Record(_bed.Api, 200);
                logger.Log(in record);
                WaitUntil(() => _bed.Metrics.AccessLog.Written == 1);
                File.Move(path, path + ".1");                      // logrotate
                logger.Log(in record);
                WaitUntil(() => _bed.Metrics.AccessLog.Written == 2);
                logger.Reopen();
                logger.Log(in record);
            }

            Assert.Equal(2, File.ReadAllLines(path + ".1").Length);
            Assert.Single(File.ReadAllLines(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Log_AfterDispose_IsIgnored()
    {
        var output = new GateStream();
        var logger = Logger(new AccessLogConfig(), output);
        logger.Dispose();

        RequestRecord record = MetricsTestBed.Record(_bed.Api, 500);
        logger.Log(in record);

        Assert.Empty(output.Received);
    }

    [Fact]
    public void Observers_AccessLogOff_WritesNothingAndOnlyCounts()
    {
        _bed.Complete(_bed.Api, 500);

        Assert.False(_bed.Observers.AccessLogEnabled);
        Assert.Equal(0, _bed.Metrics.AccessLog.Written);
        Assert.Equal(1, _bed.Scrape()["proxy_requests_total{route=\"api\",cluster=\"api\",status_class=\"5xx\"}"]);
    }

    [Fact]
    public void Observers_SwapAccessLog_LogsThroughTheNewLogger()
    {
        var output = new GateStream();
        AccessLogger? previous = _bed.Observers.SwapAccessLog(Logger(new AccessLogConfig(), output));
        _bed.Complete(_bed.Web, 201);
        _bed.Observers.SwapAccessLog(null)!.Dispose();

        Assert.Null(previous);
        Assert.Equal("web", Parse(Assert.Single(Lines(output))).GetProperty("route").GetString());
    }

    private AccessLogger Logger(AccessLogConfig config, Stream output, SeededRandom? random = null, TimeProvider? time = null) =>
        new(config with { Enabled = true }, _bed.Metrics.AccessLog, () => output, random ?? new SeededRandom(1), time);

    private string LogOne(RequestRecord record)
    {
        var output = new GateStream();
        using (var logger = Logger(new AccessLogConfig(), output)) logger.Log(in record);
        return Assert.Single(Lines(output));
    }

    private static string[] Lines(GateStream output) =>
        Encoding.UTF8.GetString(output.Received).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, "timed out");
            Thread.Sleep(5);
        }
    }

    public void Dispose() => _bed.Dispose();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
