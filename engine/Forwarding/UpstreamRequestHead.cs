using System.Buffers;
using System.IO.Pipelines;
using Proxy.Engine.Routing;
using Proxy.Engine.Tracing;
using Proxy.Protocols.Http1;
using RequestIdField = Proxy.Engine.Tracing.RequestId;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Writes the head a destination receives for a client's request: origin-form target, HTTP/1.1, the client's
/// fields minus hop-by-hop ones (RFC 9110 §7.6.1), then Host and the forwarding fields this proxy owns
/// (X-Forwarded-For appended to, X-Forwarded-Proto and -Host replaced, Via appended to), and the framing we
/// re-encode the body with: one Content-Length we write ourselves, or chunked. Whatever framing fields the client
/// sent (a list of equal lengths, leading zeros, lookalike names) never reach the upstream as sent, so it has
/// exactly one way to read the body: ours. The route's actions apply on the way: the path rewritten, another Host,
/// fields removed and set.
/// </summary>
internal static class UpstreamRequestHead
{
    public static void Write(PipeWriter output, RequestHead request, in ForwardingFields forwarding, RequestTrace? trace,
        RouteActions actions)
    {
        var writer = new HeadWriter(output);
        writer.Write(request.MethodName);
        writer.Write((byte)' ');
        if (IsServerWideOptions(request))
        {
            writer.Write((byte)'*');
        }
        else
        {
            if (actions.PathRewrite is { } rewrite) WriteRewrittenPath(ref writer, request.Path, rewrite);
            else writer.Write(request.Path);
            writer.Write(request.Query);
        }
        writer.Write(" HTTP/1.1\r\n"u8);

        HeaderEdits edits = actions.RequestHeaders;
        foreach (ref readonly HeaderField field in request.Headers)
        {
            if (field.IsHopByHop || IsOwnedByProxy(field.Known)) continue;
            ReadOnlySpan<byte> name = request.NameOf(field);
            if (field.Known == KnownHeader.None && (UnderscoredFieldNames.MimicsOwnedField(name) || (trace?.Replaces(name) ?? false))) continue;
            if (!edits.IsEmpty && edits.Removes(name)) continue;
            writer.WriteField(name, request.ValueOf(field));
        }
        if (!edits.IsEmpty) writer.Write(edits.AddedLines);
        if (trace is not null) WriteTrace(ref writer, trace);

        writer.WriteField("Host"u8, actions.UpstreamHost.IsEmpty ? request.Host : actions.UpstreamHost.Span);
        WriteAppended(ref writer, request, KnownHeader.XForwardedFor, "X-Forwarded-For: "u8, forwarding.ClientAddress);
        writer.WriteField("X-Forwarded-Proto"u8, forwarding.Scheme);
        if (!request.Host.IsEmpty) writer.WriteField("X-Forwarded-Host"u8, request.Host);
        WriteAppended(ref writer, request, KnownHeader.Via, "Via: "u8,
            forwarding.Http2 ? ForwardingFields.ViaFromHttp2
            : request.Version == HttpVersion.Http10 ? ForwardingFields.ViaFromHttp10 : ForwardingFields.ViaFromHttp11);
        WriteFraming(ref writer, request.Framing, request.ContentLength);
        writer.Write("\r\n"u8);
        writer.Commit();
    }

    /// <summary>
    /// strip_prefix / add_prefix, applied to the path in its normal form (the form routes matched, see
    /// <see cref="PathNormalizer"/>), as nginx rewrites the normalised URI when proxy_pass replaces a prefix. The
    /// matcher has already refused a path that cannot be normalised, so one that fails here is sent as received.
    /// </summary>
    private static void WriteRewrittenPath(ref HeadWriter writer, ReadOnlySpan<byte> path, PathRewrite rewrite)
    {
        const int StackBytes = 512;
        byte[]? rented = null;
        int needed = Math.Max(path.Length, rewrite.MaxLength(path.Length));
        Span<byte> scratch = needed * 2 <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(needed * 2));
        Span<byte> normal = scratch[..path.Length];
        Span<byte> rewritten = scratch[path.Length..];
        ReadOnlySpan<byte> source = PathNormalizer.Normalize(path, normal, out int normalLength) == PathNormalization.Normalized
            ? normal[..normalLength]
            : path;
        writer.Write(rewritten[..rewrite.Apply(source, rewritten)]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>The request id (kept or made) and, when the proxy started the trace, its traceparent.</summary>
    private static void WriteTrace(ref HeadWriter writer, RequestTrace trace)
    {
        if (trace.TraceParentGenerated) writer.WriteField(TraceParent.Name, trace.TraceParent);
        if (!trace.RequestId.IsEmpty) writer.WriteField(RequestIdField.Name, trace.RequestId);
    }

    /// <summary>The one framing field of a message whose body we frame ourselves (nothing for no body).</summary>
    internal static void WriteFraming(ref HeadWriter writer, BodyFraming framing, long contentLength)
    {
        if (framing == BodyFraming.Chunked)
        {
            writer.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (framing == BodyFraming.ContentLength)
        {
            writer.Write("Content-Length: "u8);
            writer.WriteDecimal(contentLength);
            writer.Write("\r\n"u8);
        }
    }

    /// <summary>
    /// RFC 9112 §3.2.4: "OPTIONS http://host" (absolute-form, empty path, no query) asks about the server as a whole,
    /// and the last proxy must send it on as "OPTIONS *". The parser gives such a target the path "/", so it is told
    /// apart here: the target ends right after its authority, which <see cref="RequestHead.Host"/> then is.
    /// </summary>
    private static bool IsServerWideOptions(RequestHead request)
    {
        if (request.Method != KnownMethod.Options || !request.HostFromTarget) return false;
        ReadOnlySpan<byte> target = request.Target;
        int authorityStart = target.IndexOf("://"u8) + 3;
        return authorityStart >= 3 && authorityStart + request.Host.Length == target.Length;
    }

    /// <summary>
    /// Fields the proxy writes itself. Expect is answered by the proxy (it sends 100 Continue to the client
    /// before reading the body), so the upstream never waits on it. Content-Length is written once, canonical.
    /// </summary>
    private static bool IsOwnedByProxy(KnownHeader known) => known is KnownHeader.Host or KnownHeader.XForwardedFor
        or KnownHeader.XForwardedProto or KnownHeader.XForwardedHost or KnownHeader.Via or KnownHeader.Expect
        or KnownHeader.ContentLength;

    /// <summary>
    /// "Name: v1, v2, ours": every received value of a list field, then ours (RFC 9110 §5.3). Values of a field the
    /// sender named in Connection are not passed on (RFC 9110 §7.6.1), so "Connection: X-Forwarded-For" leaves ours alone.
    /// </summary>
    internal static void WriteAppended(ref HeadWriter writer, MessageHead head, KnownHeader known,
        ReadOnlySpan<byte> fieldStart, ReadOnlySpan<byte> ours)
    {
        writer.Write(fieldStart);
        foreach (ref readonly HeaderField field in head.Headers)
        {
            if (field.Known != known || field.ValueLength == 0 || field.IsHopByHop) continue;
            writer.Write(head.ValueOf(field));
            writer.Write(", "u8);
        }
        writer.Write(ours);
        writer.Write("\r\n"u8);
    }
}
