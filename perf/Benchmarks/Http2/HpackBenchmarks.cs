using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http2;

namespace Proxy.Benchmarks.Http2;

/// <summary>
/// HPACK on the request path: decoding a browser's request header block with the connection's dynamic table warm
/// (the steady state: most fields are one-byte indices, :path and cookie are literals), decoding the first request of
/// a connection (cold table, every string Huffman-coded), and encoding a typical response with the table warm, alone
/// and framed as HEADERS. Every benchmark should allocate 0 B.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class HpackBenchmarks
{
    private static readonly (string Name, string Value)[] BrowserRequest =
    [
        (":method", "GET"), (":scheme", "https"), (":authority", "shop.example.com"), (":path", "/products/item?id=12345&ref=home"),
        ("sec-ch-ua", "\"Chromium\";v=\"128\", \"Not;A=Brand\";v=\"24\", \"Google Chrome\";v=\"128\""),
        ("sec-ch-ua-mobile", "?0"), ("sec-ch-ua-platform", "\"Linux\""), ("upgrade-insecure-requests", "1"),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
        ("sec-fetch-site", "same-origin"), ("sec-fetch-mode", "navigate"), ("sec-fetch-dest", "document"),
        ("accept-encoding", "gzip, deflate, br, zstd"), ("accept-language", "en-US,en;q=0.9"),
        ("cookie", "session=3f9a1c2e7b; theme=dark"),
    ];

    private static readonly (string Name, string Value)[] TypicalResponse =
    [
        ("server", "origin"), ("date", "Mon, 01 Jan 2024 00:00:00 GMT"), ("content-type", "text/html; charset=utf-8"),
        ("content-length", "1024"), ("cache-control", "no-cache"), ("vary", "accept-encoding"),
        ("strict-transport-security", "max-age=31536000"), ("x-content-type-options", "nosniff"),
    ];

    private readonly HpackDecoder _warmDecoder = new(4096, 16 * 1024);
    private readonly HpackDecoder _coldDecoder = new(4096, 16 * 1024);
    private readonly HpackEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _block = new(4096);
    private readonly ArrayBufferWriter<byte> _frames = new(4096);
    private byte[][] _responseNames = [];
    private byte[][] _responseValues = [];
    private byte[] _firstRequest = [];
    private byte[] _nextRequest = [];

    [GlobalSetup]
    public void Setup()
    {
        // A browser's encoder indexes nearly everything; the second request differs in :path.
        var browser = new HpackEncoder();
        _firstRequest = EncodeAll(browser, BrowserRequest, HpackIndexing.Incremental);
        (string, string)[] next = [.. BrowserRequest];
        next[3] = (":path", "/products/item?id=67890&ref=search");
        _nextRequest = EncodeAll(browser, next, HpackIndexing.Auto);

        var sink = new ByteCounter();
        _warmDecoder.Decode(_firstRequest, endHeaders: true, ref sink);

        _responseNames = [.. TypicalResponse.Select(f => Encoding.ASCII.GetBytes(f.Name))];
        _responseValues = [.. TypicalResponse.Select(f => Encoding.ASCII.GetBytes(f.Value))];
        EncodeResponse();
    }

    [Benchmark(Baseline = true, Description = "Decode request, warm table")]
    public long DecodeWarm()
    {
        var sink = new ByteCounter();
        _warmDecoder.Decode(_nextRequest, endHeaders: true, ref sink);
        return sink.Bytes;
    }

    [Benchmark(Description = "Decode first request, cold table")]
    public long DecodeCold()
    {
        _coldDecoder.Reset();
        var sink = new ByteCounter();
        _coldDecoder.Decode(_firstRequest, endHeaders: true, ref sink);
        return sink.Bytes;
    }

    [Benchmark(Description = "Encode response, warm table")]
    public int EncodeResponse()
    {
        _block.ResetWrittenCount();
        _encoder.BeginBlock(_block);
        _encoder.EncodeStatus(_block, 200);
        for (int i = 0; i < _responseNames.Length; i++) _encoder.Encode(_block, _responseNames[i], _responseValues[i]);
        return _block.WrittenCount;
    }

    [Benchmark(Description = "Encode response + HEADERS frame")]
    public int EncodeResponseAsHeadersFrame()
    {
        EncodeResponse();
        _frames.ResetWrittenCount();
        FrameWriter.WriteHeaders(_frames, 1, _block.WrittenSpan, endStream: false, FrameHeader.DefaultMaxFrameSize);
        return _frames.WrittenCount;
    }

    private static byte[] EncodeAll(HpackEncoder encoder, (string Name, string Value)[] fields, HpackIndexing indexing)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        foreach ((string name, string value) in fields)
            encoder.Encode(output, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), name == ":path" ? HpackIndexing.WithoutIndexing : indexing);
        return output.WrittenSpan.ToArray();
    }

    private struct ByteCounter : IHpackHeaderHandler
    {
        public long Bytes;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, int staticIndex, bool neverIndexed) => Bytes += name.Length + value.Length;
    }
}
