using System.Text;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// The proxy's own short answers (404, 502, 504, rejections, ...), built once at start-up so that answering
/// with one costs a memcpy. Each exists in a keep-alive and a closing variant.
/// </summary>
internal static class CannedResponses
{
    private static readonly Dictionary<int, (byte[] KeepAlive, byte[] Close)> Responses = Build();

    /// <summary>"HTTP/1.1 100 Continue": sent before reading a body the client holds back for it.</summary>
    public static ReadOnlySpan<byte> Continue => "HTTP/1.1 100 Continue\r\n\r\n"u8;

    /// <summary>The full response (head and short text body) for <paramref name="status"/>.</summary>
    public static ReadOnlySpan<byte> For(int status, bool close)
    {
        if (!Responses.TryGetValue(status, out var pair)) pair = Responses[500];
        return close ? pair.Close : pair.KeepAlive;
    }

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };

    private static Dictionary<int, (byte[], byte[])> Build()
    {
        var responses = new Dictionary<int, (byte[], byte[])>();
        foreach (int status in new[] { 400, 403, 404, 405, 408, 413, 414, 431, 500, 501, 502, 503, 504, 505 })
        {
            responses[status] = (Render(status, close: false), Render(status, close: true));
        }
        return responses;
    }

    private static byte[] Render(int status, bool close)
    {
        string body = $"{status} {ReasonPhrase(status)}\n";
        string head = $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n" +
                      "Content-Type: text/plain; charset=utf-8\r\n" +
                      $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n" +
                      (close ? "Connection: close\r\n" : "") +
                      "\r\n";
        return Encoding.ASCII.GetBytes(head + body);
    }
}
