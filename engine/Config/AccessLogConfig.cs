namespace Proxy.Engine.Config;

/// <summary><c>[access_log]</c>: one JSON line per request, written by a background thread.</summary>
public sealed record AccessLogConfig
{
    /// <summary>The value of <c>path</c> that means standard output.</summary>
    public const string StandardOutput = "stdout";

    /// <summary><c>enabled</c>: off by default; when off, the request path pays one branch.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>path</c>: <c>"stdout"</c>, or an absolute file path opened for appending (reopened on request, for logrotate).</summary>
    public string Path { get; init; } = StandardOutput;

    /// <summary>
    /// <c>sample_rate</c>: the share of requests logged, 0 to 1. Requests that failed on the proxy's or the upstream's
    /// side (status 500 and above, or an upstream error reason) are always logged; 4xx are sampled like successes.
    /// </summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>
    /// <c>max_queued_lines</c>: lines waiting for the writer (rounded up to a power of two). When the writer falls behind
    /// and the queue is full, new lines are dropped and counted (<c>proxy_access_log_dropped_lines_total</c>), never waited for.
    /// </summary>
    public int MaxQueuedLines { get; init; } = 8192;

    /// <summary><c>include_query</c>: log the query string too. Off by default: query strings often carry tokens.</summary>
    public bool IncludeQuery { get; init; }
}
