using System.Buffers;
using BenchmarkDotNet.Attributes;
using Proxy.Protocols.Http1;

namespace Proxy.Benchmarks.Protocols;

/// <summary>
/// The HTTP/1.1 wire-format hot path: a browser-like request head (whole and split across three segments, as a
/// pipe may hand it over), a typical response head, and a chunked body. Every benchmark should allocate 0 B.
/// Min and Median are shown because shared build machines are noisy; Min is the closest to an idle core.
/// The baseline is a fixed yardstick (copy the request head and find its blank line, the least any parser does), so
/// the Ratio column compares runs made at different times on a machine whose speed varies with its load.
/// perf/Benchmarks/Protocols/instructions.sh counts instructions per parse of the same heads, which load cannot move.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class RequestHeadParserBenchmarks
{
    private readonly RequestHead _requestHead = new(HeadLimits.Default);
    private readonly ResponseHead _responseHead = new(HeadLimits.Default);
    private ReadOnlySequence<byte> _request;
    private ReadOnlySequence<byte> _requestInThreeSegments;
    private ReadOnlySequence<byte> _response;
    private ReadOnlySequence<byte> _chunkedBody;
    private readonly byte[] _copy = new byte[HeadLimits.Default.MaxHeadBytes];

    [GlobalSetup]
    public void Setup()
    {
        _request = HeadSamples.Request();
        _requestInThreeSegments = HeadSamples.RequestInThreeSegments();
        _response = HeadSamples.Response();
        _chunkedBody = ChunkedBodyIn4KiBSegments();
    }

    [Benchmark(Baseline = true, Description = "Yardstick: copy 425 B, find CRLFCRLF")]
    public int CopyAndFindEnd()
    {
        ReadOnlySpan<byte> bytes = _request.FirstSpan;
        bytes.CopyTo(_copy);
        return _copy.AsSpan(0, bytes.Length).IndexOf("\r\n\r\n"u8);
    }

    [Benchmark(Description = "Request head, 425 B, one segment")]
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
        return HeadSamples.Segments(writer.WrittenSpan.ToArray().Chunk(4096).ToArray());
    }
}
