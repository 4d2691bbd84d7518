using Proxy.Protocols.Http1;

namespace Proxy.Engine.Metrics;

internal sealed partial class ProxyMetrics
{
    private static readonly RejectReason[] RejectReasons = Enum.GetValues<RejectReason>();
    private static readonly Http2Defence[] Http2Defences = Enum.GetValues<Http2Defence>();

    /// <summary>
    /// Copies what is counted elsewhere into the registry; runs before every scrape (prometheus-net's before-collect
    /// callback), never on the request path. Counters only move up (<c>IncTo</c>), so a scrape racing an update is at
    /// worst one update behind.
    /// </summary>
    internal void Collect()
    {
        MetricFamilies f = Families;
        f.ConnectionsAccepted.IncTo(_stats.ConnectionsAccepted);
        f.ConnectionsActive.Set(_stats.ConnectionsActive);
        f.RequestsActive.Set(_stats.RequestsActive);
        for (int i = 0; i < RejectReasons.Length; i++)
        {
            if (RejectReasons[i] != RejectReason.None) f.RejectedChildren[i]!.IncTo(_stats.Rejects(RejectReasons[i]));
        }
        foreach (Http2Defence defence in Http2Defences) f.Http2DefenceChildren[(int)defence].IncTo(_stats.Http2Defences(defence));
        f.UpstreamConnectFailures.IncTo(_stats.UpstreamConnectFailures);
        f.UpstreamTimeouts.IncTo(_stats.UpstreamTimeouts);
        f.UpstreamErrors.IncTo(_stats.UpstreamErrors);
        f.UpstreamStaleRetries.IncTo(_stats.StaleConnectionRetries);
        foreach (MirrorResult result in Enum.GetValues<MirrorResult>()) f.MirrorChildren[(int)result].IncTo(_stats.Mirrors(result));

        f.AllocatedBytes.IncTo(GC.GetTotalAllocatedBytes(precise: false));
        for (int generation = 0; generation < f.GcCollections.Length; generation++)
        {
            f.GcCollections[generation].IncTo(GC.CollectionCount(generation));
        }
        f.GcPauseSeconds.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
        f.GcHeapBytes.Set(GC.GetTotalMemory(forceFullCollection: false));

        f.AccessLogLines.IncTo(AccessLog.Written);
        f.AccessLogDropped.IncTo(AccessLog.Dropped);
        f.AccessLogWriteErrors.IncTo(AccessLog.WriteErrors);

        lock (_lock)
        {
            if (_routing is not null)
            {
                Routing.RoutingSnapshot snapshot = _routing.Current;
                f.ConfigVersion.Set(snapshot.Version);
                // New destinations get their pools attached even when the reload path has not called Sync.
                if (snapshot.Version != _attachedVersion) AttachLocked(snapshot);
            }
            foreach (DestinationMetrics destination in _destinations.Values)
            {
                destination.Collect(CloseReasonsReported);
            }
        }
    }
}
