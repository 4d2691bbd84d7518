using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Proxy.Protocols.Http1;

namespace Proxy.Benchmarks.Protocols;

/// <summary>
/// The HTTP/1.1 wire-format hot path: a browser-like request head (whole and split across three segments, as a
/// pipe may hand it over), a typical response head, and a chunked body. Every benchmark should allocate 0 B.
/// Min and Median are shown because shared build machines are noisy; Min is the closest to an idle core.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class RequestHeadParserBenchmarks
{
    private const string BrowserGet =
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

    private const string TypicalResponse =
        "HTTP/1.1 200 OK\r\n" +
        "Server: origin\r\n" +
        "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Length: 1024\r\n" +
        "Cache-Control: no-cache\r\n" +
        "Connection: keep-alive\r\n" +
        "\r\n";

    private readonly RequestHead _requestHead = new(HeadLimits.Default);
    private readonly ResponseHead _responseHead = new(HeadLimits.Default);
    private ReadOnlySequence<byte> _request;
    private ReadOnlySequence<byte> _requestInThreeSegments;
    private ReadOnlySequence<byte> _response;
    private ReadOnlySequence<byte> _chunkedBody;

    [GlobalSetup]
    public void Setup()
    {
        byte[] request = Encoding.ASCII.GetBytes(BrowserGet);
        int third = request.Length / 3;
        _request = new ReadOnlySequence<byte>(request);
        _requestInThreeSegments = Segments(request[..third], request[third..(2 * third)], request[(2 * third)..]);
        _response = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(TypicalResponse));
        _chunkedBody = ChunkedBodyIn4KiBSegments();
    }

    [Benchmark(Baseline = true, Description = "Request head, 425 B, one segment")]
    public bool ParseRequest() => RequestHeadParser.TryParse(_request, _requestHead, out _);

    [Benchmark(Description = "Request head, 425 B, three segments")]
    public bool ParseRequestInThreeSegments() => RequestHeadParser.TryParse(_requestInThreeSegments, _requestHead, out _);

    [Benchmark(Description = "Response head, 183 B")]
    public bool ParseResponse() => ResponseHeadParser.TryParse(_response, _responseHead, KnownMethod.Get, out _);

    [Benchmark(Description = "Chunked decode, 16 KiB in 1 KiB chunks")]
    public long DecodeChunkedBody()
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        var reader = new SequenceReader<byte>(_chunkedBody);
        long total = 0;
        while (true)
        {
            switch (decoder.Decode(ref reader, out ReadOnlySequence<byte> data))
            {
                case ChunkedDecodeStatus.Data:
                    total += data.Length;
                    break;
                case ChunkedDecodeStatus.Done:
                    return total;
                case ChunkedDecodeStatus.NeedMoreData:
                    throw new InvalidOperationException("the benchmark body is complete");
            }
        }
    }

    /// <summary>16 chunks of 1 KiB, laid out in 4 KiB segments as a pipe would hold them, so some size lines straddle two.</summary>
    private static ReadOnlySequence<byte> ChunkedBodyIn4KiBSegments()
    {
        var writer = new ArrayBufferWriter<byte>();
        byte[] chunk = new byte[1024];
        Array.Fill(chunk, (byte)'x');
        for (int i = 0; i < 16; i++) ChunkedEncoder.WriteChunk(writer, chunk);
        ChunkedEncoder.WriteLastChunk(writer);
        ChunkedEncoder.WriteEnd(writer);
        return Segments(writer.WrittenSpan.ToArray().Chunk(4096).ToArray());
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
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
