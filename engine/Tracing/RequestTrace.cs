using System.Text;
using Proxy.Engine.Config;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Tracing;

/// <summary>
/// The request id and trace context of the request a connection is carrying: decided once per request by
/// <see cref="Begin(MessageHead)"/>, then read by the forwarder (fields to write upstream and back to the client) and by
/// the access log. One per client connection, reused for each of its requests: the values live in two small buffers
/// it owns, so nothing is allocated per request. Not thread-safe (a connection carries one request at a time).
/// </summary>
/// <remarks>
/// <para><b>traceparent.</b> A valid one (see <see cref="Tracing.TraceParent.IsValid"/>) is passed through unchanged,
/// with its tracestate. The proxy records no spans and exports nothing to a tracing system, so it is not a participant
/// in the trace's sense (W3C Trace Context §3.2.2.3/§3.5: a participant that records its own span updates parent-id to
/// it). Putting a parent-id of its own in would make the upstream's span point at a span no collector ever sees and
/// break the trace tree. When there is no valid one (absent, malformed, or sent twice) and
/// <c>tracing.generate_traceparent</c> is on, the proxy starts a trace (§3.5 "restart the trace"): a new traceparent
/// replaces whatever the client sent, and the client's tracestate is dropped, as it belongs to the traceparent it came
/// with. With generation off, an invalid traceparent is passed on untouched (the proxy stays transparent) but not logged.</para>
/// <para><b>Sampling of started traces.</b> They are marked sampled (flags 01) with probability
/// <c>tracing.sample_rate</c> (default 1): an upstream whose tracer samples by its parent (OpenTelemetry's default,
/// ParentBased) records what it would have recorded had the request arrived without a traceparent.</para>
/// <para><b>x-request-id</b> (when <c>tracing.request_id</c> is on): the client's when there is exactly one and it is
/// valid (<see cref="Tracing.RequestId.IsValid"/>), else a new one (32 random hex digits, independent of the trace-id: a
/// client that sends the same traceparent twice still gets two ids). The proxy writes it upstream, replacing the
/// client's fields, and to the client's response, replacing any the upstream sent.</para>
/// </remarks>
internal sealed class RequestTrace
{
    private readonly Random _random;
    private readonly bool _requestIdOn;
    private readonly bool _generateTraceParent;
    private readonly double _sampleRate;
    private readonly byte[] _traceParent = new byte[Tracing.TraceParent.MaxLength];
    private readonly byte[] _requestId = new byte[Tracing.RequestId.MaxLength];
    private int _traceParentLength;
    private int _requestIdLength;

    /// <param name="config">The <c>[tracing]</c> settings.</param>
    /// <param name="random">Where new ids come from; <see cref="Random.Shared"/> (thread-safe, per-thread state) by default, a seeded one in tests.</param>
    public RequestTrace(TracingConfig config, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _random = random ?? Random.Shared;
        _requestIdOn = config.RequestId;
        _generateTraceParent = config.GenerateTraceParent;
        _sampleRate = config.SampleRate;
    }

    /// <summary>The traceparent to log and (when <see cref="TraceParentGenerated"/>) to write upstream; empty when there is no valid one.</summary>
    public ReadOnlySpan<byte> TraceParent => _traceParent.AsSpan(0, _traceParentLength);

    /// <summary>Whether the proxy started the trace: it then writes <see cref="TraceParent"/> upstream itself.</summary>
    public bool TraceParentGenerated { get; private set; }

    /// <summary>The request id to write upstream and back to the client, and to log; empty when <c>request_id</c> is off.</summary>
    public ReadOnlySpan<byte> RequestId => _requestId.AsSpan(0, _requestIdLength);

    /// <summary>Decides the ids of the request whose head is <paramref name="head"/> (one pass over its fields).</summary>
    public void Begin(MessageHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        ReadOnlySpan<byte> traceParent = default, requestId = default;
        int traceParents = 0, requestIds = 0;
        foreach (ref readonly HeaderField field in head.Headers)
        {
            ReadOnlySpan<byte> name = head.NameOf(field);
            // Length first: most fields are neither, and that is one compare.
            if (name.Length == 11 && Ascii.EqualsIgnoreCase(name, Tracing.TraceParent.Name))
            {
                if (traceParents++ == 0) traceParent = head.ValueOf(field);
            }
            else if (name.Length == 12 && Ascii.EqualsIgnoreCase(name, Tracing.RequestId.Name))
            {
                if (requestIds++ == 0) requestId = head.ValueOf(field);
            }
        }
        Begin(traceParent, traceParents, requestId, requestIds);
    }

    /// <summary>
    /// Decides the ids from the client's values: <paramref name="traceParent"/> and <paramref name="requestId"/> are the
    /// first of <paramref name="traceParentFields"/> and <paramref name="requestIdFields"/> fields of those names (a field
    /// sent twice is invalid: which one would be meant?).
    /// </summary>
    public void Begin(ReadOnlySpan<byte> traceParent, int traceParentFields, ReadOnlySpan<byte> requestId, int requestIdFields)
    {
        TraceParentGenerated = false;
        _traceParentLength = 0;
        _requestIdLength = 0;

        if (traceParentFields == 1 && Tracing.TraceParent.IsValid(traceParent))
        {
            traceParent.CopyTo(_traceParent);
            _traceParentLength = traceParent.Length;
        }
        else if (_generateTraceParent)
        {
            bool sampled = _sampleRate >= 1 || (_sampleRate > 0 && _random.NextDouble() < _sampleRate);
            Tracing.TraceParent.Generate(_traceParent, _random, sampled);
            _traceParentLength = Tracing.TraceParent.Length;
            TraceParentGenerated = true;
        }

        if (!_requestIdOn) return;
        if (requestIdFields == 1 && Tracing.RequestId.IsValid(requestId))
        {
            requestId.CopyTo(_requestId);
            _requestIdLength = requestId.Length;
        }
        else
        {
            Tracing.RequestId.Generate(_requestId, _random);
            _requestIdLength = Tracing.RequestId.GeneratedLength;
        }
    }

    /// <summary>
    /// Whether the forwarder must leave out the client's field <paramref name="name"/>, because the proxy writes its own:
    /// x-request-id whenever request ids are on; traceparent and tracestate when the proxy started the trace.
    /// </summary>
    public bool Replaces(ReadOnlySpan<byte> name) => name.Length switch
    {
        12 => _requestIdLength > 0 && Ascii.EqualsIgnoreCase(name, Tracing.RequestId.Name),
        11 => TraceParentGenerated && Ascii.EqualsIgnoreCase(name, Tracing.TraceParent.Name),
        10 => TraceParentGenerated && Ascii.EqualsIgnoreCase(name, Tracing.TraceParent.StateName),
        _ => false,
    };

    /// <summary>Whether the forwarder must leave out an upstream response's field <paramref name="name"/> (its x-request-id, replaced by ours).</summary>
    public bool ReplacesInResponse(ReadOnlySpan<byte> name) =>
        _requestIdLength > 0 && name.Length == 12 && Ascii.EqualsIgnoreCase(name, Tracing.RequestId.Name);
}
