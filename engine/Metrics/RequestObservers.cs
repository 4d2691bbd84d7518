using Proxy.Engine.AccessLog;

namespace Proxy.Engine.Metrics;

/// <summary>
/// The one place a finished request is reported: <see cref="OnCompleted"/> updates the metrics and, when the access log
/// is on, writes its line. Shared by every connection; thread-safe, lock-free and allocation-free.
/// </summary>
internal sealed class RequestObservers
{
    private AccessLogger? _accessLog;

    public RequestObservers(ProxyMetrics metrics, AccessLogger? accessLog = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Metrics = metrics;
        _accessLog = accessLog;
    }

    public ProxyMetrics Metrics { get; }

    /// <summary>The access log in use; null when it is off.</summary>
    public AccessLogger? AccessLog => Volatile.Read(ref _accessLog);

    /// <summary>
    /// Whether the access log is on: the forwarder may skip gathering the fields only the log reads (<see cref="RequestRecord.Method"/>
    /// and the other spans); metrics never read them.
    /// </summary>
    public bool AccessLogEnabled => Volatile.Read(ref _accessLog) is not null;

    /// <summary>
    /// Reports one finished request (see <see cref="RequestRecord"/> for what to fill). Call exactly once per request that
    /// reached the forwarder or was refused by the parser, after the response is written or abandoned.
    /// </summary>
    public void OnCompleted(in RequestRecord record)
    {
        (record.Route ?? Metrics.Unmatched).Record(in record);
        AccessLogger? log = Volatile.Read(ref _accessLog);
        if (log is not null) log.Log(in record);     // off: this branch is the whole cost
    }

    /// <summary>
    /// Puts <paramref name="next"/> in use (null turns the log off) and returns the previous logger, which the caller
    /// disposes once requests that may still hold it are done (its Dispose writes what it has queued).
    /// </summary>
    public AccessLogger? SwapAccessLog(AccessLogger? next) => Interlocked.Exchange(ref _accessLog, next);
}
