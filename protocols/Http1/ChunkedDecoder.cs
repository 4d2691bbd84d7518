using System.Buffers;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Resumable decoder of the chunked transfer coding (RFC 9112 §7.1). Feed it whatever bytes have arrived;
/// it hands back chunk data and trailer fields as slices of those bytes (no copy) and remembers where it
/// was between calls. A mutable struct: keep it in a field and call it by reference.
/// </summary>
/// <remarks>
/// Strict on framing: every line ends in CRLF (a bare LF is <see cref="RejectReason.BareLineFeed"/>, also in a
/// response, whose head may use bare LFs), chunk data is followed by exactly CRLF (anything else, a bare LF
/// included, is <see cref="RejectReason.MissingChunkTerminator"/>), sizes above <see cref="long.MaxValue"/> are
/// <see cref="RejectReason.InvalidChunkSize"/>. Trailer fields follow the header field rules. Allocates nothing;
/// one decoder per body, not thread-safe. Use the constructor: a default instance has zero limits.
/// </remarks>
public struct ChunkedDecoder
{
    // Size and trailer lines that straddle two segments are copied here before parsing; longer ones use the pool.
    private const int StackScratchBytes = 256;

    private readonly ChunkedLimits _limits;
    private State _state;
    private long _chunkRemaining;
    private int _trailerBytes;

    /// <summary>A decoder at the start of a chunked body.</summary>
    public ChunkedDecoder(ChunkedLimits limits) => _limits = limits;

    private enum State : byte
    {
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        Done,
    }

    /// <summary>True once <see cref="ChunkedDecodeStatus.Done"/> was returned.</summary>
    public readonly bool IsFinished => _state == State.Done;

    /// <summary>
    /// Decodes the next item from <paramref name="reader"/>, advancing it past what was used. Data and trailer
    /// slices in <paramref name="data"/> stay valid until the caller advances its pipe. Throws
    /// <see cref="HttpRejectException"/> on malformed input.
    /// </summary>
    /// <remarks>
    /// <see cref="ChunkedDecodeStatus.NeedMoreData"/> leaves an unfinished size or trailer line unread in the reader
    /// (call again once more bytes are there, from that point); a size line or trailer section already over its
    /// limit is refused at once. After <see cref="ChunkedDecodeStatus.Done"/> the reader stands just past the body.
    /// </remarks>
    public ChunkedDecodeStatus Decode(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        data = default;
        while (true)
        {
            switch (_state)
            {
                case State.ChunkSize:
                    if (!TryReadChunkSize(ref reader)) return ChunkedDecodeStatus.NeedMoreData;
                    break;
                case State.ChunkData:
                    if (reader.End) return ChunkedDecodeStatus.NeedMoreData;
                    data = ReadChunkData(ref reader);
                    return ChunkedDecodeStatus.Data;
                case State.ChunkDataEnd:
                    if (!TryReadChunkDataEnd(ref reader)) return ChunkedDecodeStatus.NeedMoreData;
                    break;
                case State.Trailer:
                    return ReadTrailer(ref reader, out data);
                default:
                    return ChunkedDecodeStatus.Done;
            }
        }
    }

    /// <summary>Back to the start of a new body with the same limits.</summary>
    public void Reset() => this = new ChunkedDecoder(_limits);

    private bool TryReadChunkSize(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, Lf))
        {
            // The unfinished line plus its LF already exceeds the limit: refuse without waiting for the rest.
            if (reader.Remaining + 1 > _limits.MaxChunkLineBytes) HttpRejectException.Throw(RejectReason.ChunkLineTooLong);
            return false;
        }
        if (line.Length + 1 > _limits.MaxChunkLineBytes) HttpRejectException.Throw(RejectReason.ChunkLineTooLong);

        using var contiguous = new ContiguousBytes(line, stackalloc byte[StackScratchBytes]);
        long size = ChunkSizeLine.Parse(contiguous.Span);
        // last-chunk = 1*"0" [ chunk-ext ] CRLF, then the trailer section.
        _state = size == 0 ? State.Trailer : State.ChunkData;
        _chunkRemaining = size;
        return true;
    }

    private ReadOnlySequence<byte> ReadChunkData(ref SequenceReader<byte> reader)
    {
        long length = Math.Min(reader.Remaining, _chunkRemaining);
        ReadOnlySequence<byte> data = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        _chunkRemaining -= length;
        if (_chunkRemaining == 0) _state = State.ChunkDataEnd;
        return data;
    }

    private bool TryReadChunkDataEnd(ref SequenceReader<byte> reader)
    {
        // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF. Whatever else follows the data
        // means the size lied; refuse as soon as the first wrong byte is seen.
        if (!reader.TryPeek(out byte first)) return false;
        if (first != Cr) HttpRejectException.Throw(RejectReason.MissingChunkTerminator);
        if (!reader.TryPeek(1, out byte second)) return false;
        if (second != Lf) HttpRejectException.Throw(RejectReason.MissingChunkTerminator);
        reader.Advance(2);
        _state = State.ChunkSize;
        return true;
    }

    /// <summary>RFC 9112 §7.1.2: <c>trailer-section = *( field-line CRLF )</c>, then the CRLF that ends the body.</summary>
    private ChunkedDecodeStatus ReadTrailer(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> field)
    {
        field = default;
        // MaxTrailerBytes counts the field lines with their CRLFs, not the final CRLF.
        int budget = _limits.MaxTrailerBytes - _trailerBytes;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, Lf))
        {
            // A lone pending byte may still be the CR of the final CRLF; two or more make a field line.
            long pending = reader.Remaining;
            if (pending >= 2 && pending + 1 > budget) HttpRejectException.Throw(RejectReason.TrailersTooLarge);
            return ChunkedDecodeStatus.NeedMoreData;
        }

        // Only a field line counts, and is refused before it is copied or parsed.
        if (line.Length > 1 && line.Length + 1 > budget) HttpRejectException.Throw(RejectReason.TrailersTooLarge);

        using var contiguous = new ContiguousBytes(line, stackalloc byte[StackScratchBytes]);
        ReadOnlySpan<byte> content = LineEndings.Content(contiguous.Span, acceptBareLineFeed: false);
        if (content.IsEmpty)
        {
            _state = State.Done;
            return ChunkedDecodeStatus.Done;
        }
        _trailerBytes += (int)line.Length + 1;
        HeaderFieldParser.Parse(content, 0);
        field = line.Slice(0, content.Length);
        return ChunkedDecodeStatus.TrailerField;
    }
}
