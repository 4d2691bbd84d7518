using System.Diagnostics;
using Proxy.Engine.Metrics;
using Proxy.Engine.Tracing;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Connections;

internal sealed partial class Http1ClientConnection
{
    /// <summary>
    /// Reports a forwarded request to metrics and the access log. Bytes received are the head's and the body's (its data,
    /// without chunk framing); bytes sent are the socket's count since the request began, so a response still queued
    /// when the request ends is counted with the next one.
    /// </summary>
    private void ReportForwarded(RequestHead head, int status, long started, long headBytes, long bytesSentBefore)
    {
        RequestTrace? trace = _forwarder.Trace;
        ReadOnlySpan<byte> query = head.Query;
        var record = new RequestRecord
        {
            Route = _forwarder.RecordRoute,
            Destination = _forwarder.RecordDestination,
            Status = status,
            Error = _forwarder.RecordError,
            Retries = _forwarder.RecordRetries,
            BytesReceived = headBytes + _forwarder.RecordBodyBytesReceived,
            BytesSent = MarkBytesSent() - bytesSentBefore,
            StartTimestamp = started,
            UpstreamStartTimestamp = _forwarder.UpstreamStartTimestamp,
            UpstreamHeadersTimestamp = _forwarder.UpstreamHeadersTimestamp,
            EndTimestamp = Stopwatch.GetTimestamp(),
            Method = head.MethodName,
            Host = head.Host,
            Path = head.Path,
            Query = query.IsEmpty ? default : query[1..],
            ClientAddress = Forwarding.ClientAddress,
            RequestId = trace is null ? default : trace.RequestId,
            TraceParent = trace is null ? default : trace.TraceParent,
        };
        _server.Observers.OnCompleted(in record);
    }

    private long MarkBytesSent() => _bytesSentMark = _transport.BytesSent;

    /// <summary>Reports a request refused before it had a complete head (400, 408, 414, 431...): no route, no upstream.</summary>
    private void ReportRefused(int status, RequestError error, long started, long bytesReceived, long bytesSentBefore)
    {
        var record = new RequestRecord
        {
            Status = status,
            Error = error,
            BytesReceived = bytesReceived,
            BytesSent = MarkBytesSent() - bytesSentBefore,
            StartTimestamp = started,
            EndTimestamp = Stopwatch.GetTimestamp(),
            ClientAddress = Forwarding.ClientAddress,
        };
        _server.Observers.OnCompleted(in record);
    }
}
