using System.IO.Pipelines;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Writes the head the client receives for an upstream's response: our version (HTTP/1.1), the upstream's
/// status and reason, its fields minus hop-by-hop ones, our Via, the framing we send the body with, and the
/// connection decision.
/// </summary>
internal static class ClientResponseHead
{
    public static void Write(PipeWriter output, ResponseHead response, ClientBodyMode mode, bool close,
        HttpVersion clientVersion, in ForwardingFields forwarding)
    {
        var writer = new HeadWriter(output);
        WriteStatusLine(ref writer, response);
        foreach (ref readonly HeaderField field in response.Headers)
        {
            if (field.IsHopByHop || field.Known == KnownHeader.Via) continue;
            writer.WriteField(response.NameOf(field), response.ValueOf(field));
        }
        UpstreamRequestHead.WriteAppended(ref writer, response, KnownHeader.Via, "Via: "u8,
            response.Version == HttpVersion.Http10 ? ForwardingFields.ViaFromHttp10 : ForwardingFields.ViaFromHttp11);
        if (mode == ClientBodyMode.Chunked) writer.Write("Transfer-Encoding: chunked\r\n"u8);
        if (close) writer.Write("Connection: close\r\n"u8);
        else if (clientVersion == HttpVersion.Http10) writer.Write("Connection: keep-alive\r\n"u8);
        writer.Write("\r\n"u8);
        writer.Commit();
    }

    /// <summary>An interim (1xx) response, passed on as received minus hop-by-hop fields.</summary>
    public static void WriteInterim(PipeWriter output, ResponseHead response)
    {
        var writer = new HeadWriter(output);
        WriteStatusLine(ref writer, response);
        foreach (ref readonly HeaderField field in response.Headers)
        {
            if (field.IsHopByHop) continue;
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
