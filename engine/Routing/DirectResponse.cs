using System.Globalization;
using System.Text;
using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// A route's <c>respond</c>: the whole response rendered once per snapshot, in the four forms a request can need
/// (keep-alive or closing, with a body or without one for HEAD), so that answering costs one copy.
/// The route's <c>response_set_headers</c> are part of it. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class DirectResponse
{
    private const string DefaultContentType = "text/plain; charset=utf-8";

    private readonly byte[] _keepAlive, _close, _keepAliveHead, _closeHead;

    public DirectResponse(DirectResponseConfig config, HeaderEdits responseHeaders)
    {
        Status = config.Status;
        byte[] body = Encoding.UTF8.GetBytes(config.Body);
        // RFC 9110 §8.6: no Content-Length on 1xx and 204; on a 304 it would describe a representation this route does not have.
        bool framed = Status >= 200 && Status is not (204 or 304);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {ReasonPhrases.Of(Status)}\r\n");
        if (body.Length > 0) head.Append("Content-Type: ").Append(config.ContentType ?? DefaultContentType).Append("\r\n");
        if (framed) head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        head.Append(Encoding.ASCII.GetString(responseHeaders.AddedLines));
        byte[] keepAlive = Encoding.ASCII.GetBytes(head + "\r\n");
        byte[] close = Encoding.ASCII.GetBytes(head + "Connection: close\r\n\r\n");
        _keepAliveHead = keepAlive;
        _closeHead = close;
        _keepAlive = [.. keepAlive, .. body];
        _close = [.. close, .. body];
        BodyLength = body.Length;
    }

    public int Status { get; }

    public int BodyLength { get; }

    /// <summary>The full response: head and body, or the head alone for a HEAD request; with "Connection: close" when <paramref name="close"/>.</summary>
    public ReadOnlySpan<byte> For(bool headRequest, bool close) => (headRequest, close) switch
    {
        (false, false) => _keepAlive,
        (false, true) => _close,
        (true, false) => _keepAliveHead,
        (true, true) => _closeHead,
    };
}
