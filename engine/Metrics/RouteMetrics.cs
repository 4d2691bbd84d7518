using System.Text.Json;
using Prometheus;

namespace Proxy.Engine.Metrics;

/// <summary>
/// The metrics of one route, with every labelled child resolved when the route is configured, so that recording a
/// request is a handful of interlocked updates and allocates nothing. Also carries the route's and cluster's names
/// ready for the access log. Thread-safe; one instance per route name, kept across reloads (<see cref="ProxyMetrics.Route"/>).
/// </summary>
internal sealed class RouteMetrics
{
    private readonly Counter.Child[] _byStatusClass;
    private readonly Counter.Child?[] _errors;      // by RequestError; None has no series
    private readonly Histogram.Child _duration;
    private readonly Histogram.Child _upstreamDuration;
    private readonly Counter.Child _received;
    private readonly Counter.Child _sent;

    internal RouteMetrics(ProxyMetrics owner, string name, ClusterMetrics? cluster)
    {
        MetricFamilies families = owner.Families;
        Name = name;
        Cluster = cluster;
        string clusterName = ClusterName;
        JsonName = JsonEncodedText.Encode(name);

        _byStatusClass = new Counter.Child[MetricNames.StatusClasses.Length];
        for (int i = 0; i < _byStatusClass.Length; i++)
        {
            _byStatusClass[i] = families.Requests.WithLabels(name, clusterName, MetricNames.StatusClasses[i]);
        }
        _errors = new Counter.Child?[RequestErrors.Count];
        foreach (RequestError error in RequestErrors.All)
        {
            if (error != RequestError.None) _errors[(int)error] = families.RequestErrors.WithLabels(name, clusterName, RequestErrors.NameOf(error));
        }
        _duration = families.RequestDuration.WithLabels(name);
        _upstreamDuration = families.UpstreamDuration.WithLabels(name);
        _received = families.ReceivedBytes.WithLabels(name);
        _sent = families.SentBytes.WithLabels(name);
    }

    /// <summary>The route's name; "" for <see cref="ProxyMetrics.Unmatched"/>.</summary>
    public string Name { get; }

    /// <summary>The cluster the route sends to; null for <see cref="ProxyMetrics.Unmatched"/>.</summary>
    public ClusterMetrics? Cluster { get; }

    public string ClusterName => Cluster?.Name ?? "";

    /// <summary>The name, JSON-escaped once, for the access log.</summary>
    public JsonEncodedText JsonName { get; }

    /// <summary>Counts one finished request: status class, error reason, durations, bytes, retries. Allocation-free.</summary>
    public void Record(in RequestRecord record)
    {
        _byStatusClass[MetricNames.StatusClassIndex(record.Status)].Inc();
        if (record.Error != RequestError.None && (uint)record.Error < (uint)_errors.Length) _errors[(int)record.Error]?.Inc();
        _duration.Observe(record.DurationSeconds);
        if (record.HasUpstreamTiming) _upstreamDuration.Observe(record.UpstreamDurationSeconds);
        if (record.BytesReceived > 0) _received.Inc(record.BytesReceived);
        if (record.BytesSent > 0) _sent.Inc(record.BytesSent);
        if (record.Retries > 0) Cluster?.CountRetries(record.Retries);
    }

    /// <summary>Removes the route's series from the registry (the route left the configuration, or changed cluster).</summary>
    /// <param name="keepRouteSeries">Keep the series labelled by route alone (durations, bytes): the route stays, only its cluster changed.</param>
    internal void Remove(bool keepRouteSeries)
    {
        foreach (Counter.Child child in _byStatusClass) child.Remove();
        foreach (Counter.Child? child in _errors) child?.Remove();
        if (keepRouteSeries) return;
        _duration.Remove();
        _upstreamDuration.Remove();
        _received.Remove();
        _sent.Remove();
    }

    public override string ToString() => Name;
}
