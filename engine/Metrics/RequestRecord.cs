using System.Diagnostics;

namespace Proxy.Engine.Metrics;

/// <summary>
/// Everything known about one finished request, handed once to <see cref="RequestObservers.OnCompleted"/>, which
/// updates the metrics and writes the access log line. A ref struct on the caller's stack: building one allocates
/// nothing, and the spans may point straight into the request head's buffer (they are read before OnCompleted returns).
/// </summary>
/// <remarks>
/// What the forwarder fills, and when. Fields left at their default mean "did not happen" or "not known".
/// <list type="bullet">
/// <item><see cref="Route"/>: the matched route's metrics (<see cref="ProxyMetrics.Route"/>); null when no route matched.</item>
/// <item><see cref="Destination"/>: the destination of the last attempt (<see cref="ProxyMetrics.Destination"/>); null when none was picked.</item>
/// <item><see cref="Status"/>: the status the client received; 499 when the client left first (as nginx logs it).</item>
/// <item><see cref="Error"/>: why the request did not get a complete upstream answer; None when it did (even a 5xx from the upstream).</item>
/// <item><see cref="Retries"/>: attempts after the first (0 when there was one attempt or none).</item>
/// <item><see cref="BytesReceived"/>/<see cref="BytesSent"/>: bytes read from / written to the client for this request, head and body.</item>
/// <item>Timestamps, all <see cref="Stopwatch.GetTimestamp"/>: <see cref="StartTimestamp"/> when the request head was complete
/// (required); <see cref="UpstreamStartTimestamp"/> when the first attempt began taking an upstream connection (0: no upstream);
/// <see cref="UpstreamHeadersTimestamp"/> when the final response head arrived (0: none did); <see cref="EndTimestamp"/> when
/// the last byte of the response was handed to the client's pipe, or the request was abandoned (required).</item>
/// <item>For the access log only (cheap to fill, ignored when it is off): <see cref="Method"/>, <see cref="Host"/>,
/// <see cref="Path"/>, <see cref="Query"/> (without the '?'), <see cref="ClientAddress"/>, <see cref="RequestId"/>,
/// <see cref="TraceParent"/>. None of these ever becomes a metric label.</item>
/// </list>
/// </remarks>
internal ref struct RequestRecord
{
    public RouteMetrics? Route;
    public DestinationMetrics? Destination;
    public int Status;
    public RequestError Error;
    public int Retries;
    public long BytesReceived;
    public long BytesSent;

    public long StartTimestamp;
    public long UpstreamStartTimestamp;
    public long UpstreamHeadersTimestamp;
    public long EndTimestamp;

    public ReadOnlySpan<byte> Method;
    public ReadOnlySpan<byte> Host;
    public ReadOnlySpan<byte> Path;
    public ReadOnlySpan<byte> Query;
    public ReadOnlySpan<byte> ClientAddress;
    public ReadOnlySpan<byte> RequestId;
    public ReadOnlySpan<byte> TraceParent;

    /// <summary>Start to end, in seconds.</summary>
    public readonly double DurationSeconds => Seconds(EndTimestamp - StartTimestamp);

    /// <summary>Whether an upstream answered with a response head.</summary>
    public readonly bool HasUpstreamTiming => UpstreamStartTimestamp != 0 && UpstreamHeadersTimestamp != 0;

    /// <summary>From taking an upstream connection to the final response head, retries included, in seconds.</summary>
    public readonly double UpstreamDurationSeconds => Seconds(UpstreamHeadersTimestamp - UpstreamStartTimestamp);

    private static double Seconds(long ticks) => ticks <= 0 ? 0 : (double)ticks / Stopwatch.Frequency;
}
