namespace Proxy.Engine.Config;

/// <summary><c>[tracing]</c>: request ids and W3C trace context (traceparent) on forwarded requests.</summary>
public sealed record TracingConfig
{
    /// <summary>
    /// <c>request_id</c>: every forwarded request carries an <c>x-request-id</c>: the client's when it is valid (1-128 of
    /// <c>A-Z a-z 0-9 - _ . : + / = @</c>), else a new one (32 random hex digits). The response carries it back.
    /// </summary>
    public bool RequestId { get; init; } = true;

    /// <summary>
    /// <c>generate_traceparent</c>: start a trace (a new <c>traceparent</c>, and no <c>tracestate</c>) for a request that has no
    /// valid one. A valid one is always passed through unchanged.
    /// </summary>
    public bool GenerateTraceParent { get; init; }

    /// <summary>
    /// <c>sample_rate</c>: the share, 0 to 1, of the traceparents the proxy starts that are marked sampled (flags 01),
    /// asking the upstreams to record the trace.
    /// </summary>
    public double SampleRate { get; init; } = 1.0;
}
