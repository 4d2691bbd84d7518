namespace Proxy.Engine.AccessLog;

/// <summary>
/// What the access log did, counted across logger instances (a reload that changes <c>[access_log]</c> replaces the
/// logger, not these), for <c>proxy_access_log_*</c>. Thread-safe.
/// </summary>
internal sealed class AccessLogCounters
{
    private long _written, _dropped, _writeErrors;

    /// <summary>Lines written to the output.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines dropped because the queue was full (the writer was behind).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Writes that failed (their lines are lost).</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    internal void AddWritten(long lines) => Interlocked.Add(ref _written, lines);
    internal void AddDropped() => Interlocked.Increment(ref _dropped);
    internal void AddWriteError() => Interlocked.Increment(ref _writeErrors);
}
