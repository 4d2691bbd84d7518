using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Metrics;

namespace Proxy.Engine.AccessLog;

/// <summary>
/// The access log: decides whether a request is logged (sampling), formats its line on the request's thread into a
/// recycled buffer, and hands it to a background writer thread through a bounded lock-free queue. The request path never
/// blocks and never allocates in steady state: when the writer is behind and the queue is full, the line is dropped and
/// counted (<see cref="AccessLogCounters.Dropped"/>).
/// </summary>
/// <remarks>
/// <para>Sampling: requests that failed on the proxy's or upstream's side (status 500 or above, or an error reason of
/// <see cref="RequestErrors.IsServerSide"/>) are always logged. All others, 4xx included, are logged with probability
/// <c>sample_rate</c>: 4xx are the client's doing, and a scanner can produce them at line rate, so logging all of them
/// would let any client fill the disk.</para>
/// <para>Output: standard output, or a file opened for appending. <see cref="Reopen"/> (call it on SIGHUP or SIGUSR1, after
/// logrotate has moved the file) makes the writer close and reopen the path between two writes.</para>
/// <para>Thread-safety: <see cref="Log"/> from any number of threads; <see cref="Reopen"/> and <see cref="Dispose"/> from
/// any thread. Lines logged after Dispose are ignored.</para>
/// </remarks>
internal sealed partial class AccessLogger : IDisposable
{
    private const long SampleScale = 1L << 53;

    private readonly IRandomSource _random;
    private readonly TimeProvider _time;
    private readonly bool _includeQuery;
    private readonly long _sampleThreshold;        // log when random < threshold; SampleScale means always
    private readonly BoundedQueue<LogLine> _queue;
    private readonly BoundedQueue<LogLine> _free;  // recycled lines; more are made on demand up to the queue's capacity
    private int _linesMade;
    private volatile bool _disposed;

    /// <summary>An access log as <paramref name="config"/> says, writing to its path.</summary>
    public AccessLogger(AccessLogConfig config, AccessLogCounters counters, IRandomSource? random = null, TimeProvider? time = null)
        : this(config, counters, OutputOpener(config.Path), random, time)
    {
    }

    /// <summary>An access log writing to what <paramref name="openOutput"/> returns (tests pass their own stream).</summary>
    internal AccessLogger(AccessLogConfig config, AccessLogCounters counters, Func<Stream> openOutput, IRandomSource? random = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(openOutput);
        Counters = counters;
        _random = random ?? SharedRandomSource.Instance;
        _time = time ?? TimeProvider.System;
        _includeQuery = config.IncludeQuery;
        _sampleThreshold = (long)Math.Round(Math.Clamp(config.SampleRate, 0, 1) * SampleScale);
        _queue = new BoundedQueue<LogLine>(config.MaxQueuedLines);
        _free = new BoundedQueue<LogLine>(_queue.Capacity);
        _writer = new Writer(this, openOutput);
    }

    /// <summary>The logger <paramref name="config"/> asks for, or null when the log is off (pass that to <see cref="RequestObservers"/>).</summary>
    /// <exception cref="IOException">The file cannot be opened (the message says why).</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public static AccessLogger? FromConfig(AccessLogConfig config, AccessLogCounters counters)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Enabled ? new AccessLogger(config, counters) : null;
    }

    public AccessLogCounters Counters { get; }

    /// <summary>Lines the queue holds at most.</summary>
    public int Capacity => _queue.Capacity;

    /// <summary>Logs <paramref name="record"/> if sampling says so. Never blocks; allocation-free once warmed up.</summary>
    public void Log(in RequestRecord record)
    {
        if (_disposed || !ShouldLog(in record)) return;
        LogLine? line = TakeLine();
        if (line is null)
        {
            Counters.AddDropped();      // every line is queued: the writer is behind
            return;
        }
        AccessLogFormatter.Format(in record, line, _time.GetUtcNow().UtcDateTime, _includeQuery);
        if (!_queue.TryEnqueue(line))
        {
            line.Clear();
            _free.TryEnqueue(line);
            Counters.AddDropped();
            return;
        }
        _writer.Wake();
    }

    /// <summary>
    /// Asks the writer to close and reopen its output before its next write: after logrotate moved the file, lines go to a
    /// new file at the configured path. Harmless for stdout. Call it from the SIGHUP (or SIGUSR1) handler; it returns at once.
    /// </summary>
    public void Reopen() => _writer.RequestReopen();

    /// <summary>Writes what is queued, then stops the writer and closes the output (waits up to 5 s for a stuck output).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _writer.Dispose();
    }

    private bool ShouldLog(in RequestRecord record)
    {
        if (record.Status >= 500 || RequestErrors.IsServerSide(record.Error)) return true;    // errors always
        if (_sampleThreshold >= SampleScale) return true;
        if (_sampleThreshold == 0) return false;
        return _random.NextInt64(SampleScale) < _sampleThreshold;
    }

    private LogLine? TakeLine()
    {
        if (_free.TryDequeue(out LogLine line)) return line;
        // Make lines lazily, up to one per queue slot: an idle or lightly used log holds little memory.
        if (Interlocked.Increment(ref _linesMade) <= _queue.Capacity) return new LogLine();
        Interlocked.Decrement(ref _linesMade);
        return null;
    }

    private void Recycle(LogLine line)
    {
        line.Clear();
        _free.TryEnqueue(line);
    }

    private static Func<Stream> OutputOpener(string path) => path == AccessLogConfig.StandardOutput
        ? Console.OpenStandardOutput
        : () =>
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            // Unbuffered: the writer batches lines itself and writes whole batches.
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        };
}
