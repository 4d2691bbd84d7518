using Proxy.Protocols.Http1;

namespace Proxy.Engine.Metrics;

/// <summary>
/// Process-wide counters, updated on the request path with one interlocked operation each (no allocation,
/// no lock) and read by the admin API. The Prometheus endpoint will be built on the same counters.
/// </summary>
internal sealed class ProxyStats
{
    private long _connectionsAccepted, _connectionsActive;
    private long _requests, _requestsActive;
    private readonly long[] _responsesByClass = new long[6];       // index = status / 100
    private readonly long[] _rejectsByReason = new long[Enum.GetValues<RejectReason>().Length];
    private readonly long[] _http2Defences = new long[Enum.GetValues<Http2Defence>().Length];
    private long _upstreamConnectFailures, _upstreamTimeouts, _upstreamErrors, _staleRetries;
    private readonly long[] _mirrorsByResult = new long[Enum.GetValues<MirrorResult>().Length];

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);
    public long ConnectionsActive => Interlocked.Read(ref _connectionsActive);
    public long Requests => Interlocked.Read(ref _requests);
    public long RequestsActive => Interlocked.Read(ref _requestsActive);
    public long UpstreamConnectFailures => Interlocked.Read(ref _upstreamConnectFailures);
    public long UpstreamTimeouts => Interlocked.Read(ref _upstreamTimeouts);
    public long UpstreamErrors => Interlocked.Read(ref _upstreamErrors);
    public long StaleConnectionRetries => Interlocked.Read(ref _staleRetries);

    public long Mirrors(MirrorResult result) => Interlocked.Read(ref _mirrorsByResult[(int)result]);

    public long ResponsesOfClass(int statusClass) => Interlocked.Read(ref _responsesByClass[statusClass]);
    public long Rejects(RejectReason reason) => Interlocked.Read(ref _rejectsByReason[(int)reason]);
    public long Http2Defences(Http2Defence defence) => Interlocked.Read(ref _http2Defences[(int)defence]);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _connectionsActive);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsActive);

    public void RequestStarted()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _requestsActive);
    }

    public void RequestFinished(int status)
    {
        Interlocked.Decrement(ref _requestsActive);
        int statusClass = status / 100;
        if ((uint)statusClass < (uint)_responsesByClass.Length) Interlocked.Increment(ref _responsesByClass[statusClass]);
    }

    public void Rejected(RejectReason reason) => Interlocked.Increment(ref _rejectsByReason[(int)reason]);
    public void Http2DefenceActed(Http2Defence defence) => Interlocked.Increment(ref _http2Defences[(int)defence]);
    public void UpstreamConnectFailed() => Interlocked.Increment(ref _upstreamConnectFailures);
    public void UpstreamTimedOut() => Interlocked.Increment(ref _upstreamTimeouts);
    public void UpstreamFailed() => Interlocked.Increment(ref _upstreamErrors);
    public void RetriedStaleConnection() => Interlocked.Increment(ref _staleRetries);
    public void Mirrored(MirrorResult result) => Interlocked.Increment(ref _mirrorsByResult[(int)result]);
}
