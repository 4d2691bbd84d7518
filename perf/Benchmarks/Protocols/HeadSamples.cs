using System.Buffers;
using System.Text;

namespace Proxy.Benchmarks.Protocols;

/// <summary>The heads the HTTP/1.1 parser benchmarks and <see cref="HeadParseLoop"/> parse, so both measure the same bytes.</summary>
internal static class HeadSamples
{
    /// <summary>A browser-like GET, 425 bytes.</summary>
    public const string BrowserGet =
        "GET /products/item?id=12345&ref=home HTTP/1.1\r\n" +
        "Host: shop.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
        "Accept-Language: en-US,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Connection: keep-alive\r\n" +
        "Cookie: session=3f9a1c2e7b; theme=dark\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "Sec-Fetch-Dest: document\r\n" +
        "\r\n";

    /// <summary>An origin's 200 with a Content-Length body, 183 bytes.</summary>
    public const string TypicalResponse =
        "HTTP/1.1 200 OK\r\n" +
        "Server: origin\r\n" +
        "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Length: 1024\r\n" +
        "Cache-Control: no-cache\r\n" +
        "Connection: keep-alive\r\n" +
        "\r\n";

    public static ReadOnlySequence<byte> Request() => new(Encoding.ASCII.GetBytes(BrowserGet));

    /// <summary>The request in three segments of about a third each, as a pipe may hand it over.</summary>
    public static ReadOnlySequence<byte> RequestInThreeSegments()
    {
        byte[] request = Encoding.ASCII.GetBytes(BrowserGet);
        int third = request.Length / 3;
        return Segments(request[..third], request[third..(2 * third)], request[(2 * third)..]);
    }

    public static ReadOnlySequence<byte> Response() => new(Encoding.ASCII.GetBytes(TypicalResponse));

    public static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++) last = last.Append(parts[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
