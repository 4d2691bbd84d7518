using System.Buffers;
using BenchmarkDotNet.Attributes;
using Proxy.Protocols.Http2;

namespace Proxy.Benchmarks.Http2;

/// <summary>
/// The HTTP/2 frame reader on what a connection receives for a request with a small body: SETTINGS, WINDOW_UPDATE,
/// HEADERS, two DATA frames (1 KiB and a padded END_STREAM one), PING and RST_STREAM, read with
/// <see cref="FrameReader.TryReadFrame"/> and parsed by type; once from one segment and once split into 64-byte segments
/// (headers straddling segments), plus the header reader alone. Every benchmark should allocate 0 B.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class FrameReaderBenchmarks
{
    private ReadOnlySequence<byte> _whole;
    private ReadOnlySequence<byte> _segmented;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteSettings(writer, [new(Http2SettingId.MaxConcurrentStreams, 100), new(Http2SettingId.InitialWindowSize, 1 << 20)]);
        FrameWriter.WriteWindowUpdate(writer, 0, 1 << 24);
        FrameWriter.WriteHeaders(writer, 1, new byte[120], endStream: false, FrameHeader.DefaultMaxFrameSize);
        FrameWriter.WriteData(writer, 1, new byte[1024], endStream: false, FrameHeader.DefaultMaxFrameSize);
        FrameWriter.WriteFrameHeader(writer, new FrameHeader(16, FrameType.Data, FrameFlags.Padded | FrameFlags.EndStream, 1));
        writer.Write<byte>([4, .. new byte[11], 0, 0, 0, 0]);
        FrameWriter.WritePing(writer, 42, ack: false);
        FrameWriter.WriteRstStream(writer, 3, Http2ErrorCode.Cancel);
        byte[] bytes = writer.WrittenSpan.ToArray();
        _whole = new ReadOnlySequence<byte>(bytes);
        _segmented = Segments(bytes.Chunk(64).ToArray());
    }

    [Benchmark(Baseline = true, Description = "7 frames, one segment")]
    public long ReadWhole() => ReadAll(_whole);

    [Benchmark(Description = "7 frames, 64-byte segments")]
    public long ReadSegmented() => ReadAll(_segmented);

    [Benchmark(Description = "Frame headers only, one segment")]
    public int ReadHeadersOnly()
    {
        var reader = new SequenceReader<byte>(_whole);
        int frames = 0;
        while (FrameReader.TryReadFrameHeader(ref reader, FrameHeader.DefaultMaxFrameSize, out FrameHeader header))
        {
            reader.Advance(header.Length);
            frames++;
        }
        return frames;
    }

    private static long ReadAll(in ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        long total = 0;
        while (FrameReader.TryReadFrame(ref reader, FrameHeader.DefaultMaxFrameSize, out FrameHeader header, out ReadOnlySequence<byte> payload))
        {
            switch (header.Type)
            {
                case FrameType.Data:
                    total += FrameReader.ReadData(header, payload).Data.Length;
                    break;
                case FrameType.Headers:
                    total += FrameReader.ReadHeaders(header, payload).FieldBlockFragment.Length;
                    break;
                case FrameType.Settings:
                    foreach (Http2Setting setting in FrameReader.ReadSettings(header, payload)) total += setting.Value;
                    break;
                case FrameType.WindowUpdate:
                    total += FrameReader.ReadWindowUpdate(header, payload);
                    break;
                case FrameType.Ping:
                    total += (long)FrameReader.ReadPing(header, payload).OpaqueData;
                    break;
                case FrameType.RstStream:
                    total += (long)FrameReader.ReadRstStream(header, payload);
                    break;
                default:
                    break;
            }
        }
        return total;
    }

    private static ReadOnlySequence<byte> Segments(byte[][] parts)
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
