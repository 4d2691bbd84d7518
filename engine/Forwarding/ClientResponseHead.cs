using System.IO.Pipelines;
using Proxy.Engine.Routing;
using Proxy.Engine.Tracing;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Writes the head the client receives for an upstream's response: our version (HTTP/1.1), the upstream's
/// status and reason, its fields minus hop-by-hop ones, our Via, the framing we send the body with, and the
/// connection decision. Content-Length is always ours: one canonical value, whatever list of equal values or
/// leading zeros the upstream wrote, and none at all on 1xx and 204 (RFC 9110 §8.6), where a client that believed
/// one would wait for a body that never comes.
/// </summary>
internal static class ClientResponseHead
{
    /// <param name="output">The client's pipe.</param>
    /// <param name="response">The upstream's final response head.</param>
    /// <param name="mode">How the body goes to the client.</param>
    /// <param name="close">Whether the client connection closes after this response.</param>
    /// <param name="clientVersion">The client's HTTP version.</param>
    /// <param name="extras">What the proxy adds: the request id, a sticky-session cookie.</param>
    public static void Write(PipeWriter output, ResponseHead response, ClientBodyMode mode, bool close,
        HttpVersion clientVersion, in ResponseExtras extras)
    {
        var writer = new HeadWriter(output);
        WriteStatusLine(ref writer, response);
        HeaderEdits edits = extras.Edits;
        foreach (ref readonly HeaderField field in response.Headers)
        {
            if (field.IsHopByHop || field.Known is KnownHeader.Via or KnownHeader.ContentLength) continue;
            ReadOnlySpan<byte> name = response.NameOf(field);
            if (extras.Trace?.ReplacesInResponse(name) ?? false) continue;
            if (!edits.IsEmpty && edits.Removes(name)) continue;
            writer.WriteField(name, response.ValueOf(field));
        }
        if (!edits.IsEmpty) writer.Write(edits.AddedLines);
        if (extras.Trace is { RequestId.IsEmpty: false } trace) writer.WriteField(RequestId.Name, trace.RequestId);
        if (!extras.StickyCookieName.IsEmpty) WriteStickyCookie(ref writer, extras.StickyCookieName, extras.StickyCookieValue);
        UpstreamRequestHead.WriteAppended(ref writer, response, KnownHeader.Via, "Via: "u8,
            response.Version == HttpVersion.Http10 ? ForwardingFields.ViaFromHttp10 : ForwardingFields.ViaFromHttp11);
        if (mode == ClientBodyMode.Chunked) writer.Write("Transfer-Encoding: chunked\r\n"u8);
        else if (mode == ClientBodyMode.ContentLength) UpstreamRequestHead.WriteFraming(ref writer, BodyFraming.ContentLength, response.ContentLength);
        else if (mode == ClientBodyMode.None) WriteAnnouncedLength(ref writer, response);
        if (close) writer.Write("Connection: close\r\n"u8);
        else if (clientVersion == HttpVersion.Http10) writer.Write("Connection: keep-alive\r\n"u8);
        writer.Write("\r\n"u8);
        writer.Commit();
    }

    /// <summary>
    /// Pins the client to the destination that answered (sticky sessions): an opaque id, never the address; HttpOnly
    /// since scripts have no business with it; SameSite=Lax so it follows top-level navigation but not cross-site posts.
    /// </summary>
    private static void WriteStickyCookie(ref HeadWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        writer.Write("Set-Cookie: "u8);
        writer.Write(name);
        writer.Write((byte)'=');
        writer.Write(value);
        writer.Write("; Path=/; HttpOnly; SameSite=Lax\r\n"u8);
    }

    /// <summary>
    /// A response without a body (to HEAD, or 304) may still say how long the body would have been (RFC 9110 §8.6);
    /// that length is passed on, canonical. Never on 204 (nor 1xx, which do not come here).
    /// </summary>
    private static void WriteAnnouncedLength(ref HeadWriter writer, ResponseHead response)
    {
        if (response.StatusCode == 204 || !response.TryGetValue(KnownHeader.ContentLength, out ReadOnlySpan<byte> value)) return;
        // The parser has checked every Content-Length of the head (valid, all equal), so this cannot fail.
        if (ContentLength.TryParse(value, out long length)) UpstreamRequestHead.WriteFraming(ref writer, BodyFraming.ContentLength, length);
    }

    /// <summary>An interim (1xx) response, passed on as received minus hop-by-hop fields (and any Content-Length).</summary>
    public static void WriteInterim(PipeWriter output, ResponseHead response)
    {
        var writer = new HeadWriter(output);
        WriteStatusLine(ref writer, response);
        foreach (ref readonly HeaderField field in response.Headers)
        {
            if (field.IsHopByHop || field.Known == KnownHeader.ContentLength) continue;
            writer.WriteField(response.NameOf(field), response.ValueOf(field));
        }
        writer.Write("\r\n"u8);
        writer.Commit();
    }

    private static void WriteStatusLine(ref HeadWriter writer, ResponseHead response)
    {
        writer.Write("HTTP/1.1 "u8);
        writer.WriteDecimal(response.StatusCode);
        writer.Write((byte)' ');
        writer.Write(response.Reason);
        writer.Write("\r\n"u8);
    }
}
