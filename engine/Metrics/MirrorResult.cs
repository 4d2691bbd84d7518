namespace Proxy.Engine.Metrics;

/// <summary>How a mirrored copy of a request ended (label <c>result</c> of proxy_mirror_requests_total).</summary>
internal enum MirrorResult
{
    /// <summary>The shadow cluster answered; the answer was dropped.</summary>
    Sent,
    /// <summary>No destination, no connection, an error or the deadline: the copy was lost.</summary>
    Failed,
    /// <summary>Too many copies under way already: this one was never sent.</summary>
    Dropped,
}
