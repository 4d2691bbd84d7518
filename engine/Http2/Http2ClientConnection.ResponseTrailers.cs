using System.Buffers;
using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

internal sealed partial class Http2ClientConnection
{
    private const byte LineSeparator = (byte)'\n';    // cannot occur inside a field line

    /// <summary>Copies one trailer field line (<c>name: value</c>, as the chunked decoder hands it over) out of the pipe.</summary>
    private static void KeepTrailerLine(ArrayBufferWriter<byte> kept, in ReadOnlySequence<byte> line)
    {
        foreach (ReadOnlyMemory<byte> segment in line) kept.Write(segment.Span);
        kept.Write([LineSeparator]);
    }

    /// <summary>
    /// Ends the stream with the upstream's chunked trailer fields as a last HEADERS with END_STREAM (RFC 9113 §8.1),
    /// after DATA frames none of which ended it. Fields that may not be trailers are dropped
    /// (<see cref="TrailerFieldFilter"/>); when none is left, an empty DATA with END_STREAM ends the stream instead.
    /// HEADERS is not flow-controlled, so this never waits. False when the stream or the connection is gone.
    /// </summary>
    private bool WriteTrailers(Http2Stream stream, ReadOnlySpan<byte> lines)
    {
        lock (_sync)
        {
            if (stream.IsReset || _writesClosed) return false;
            if (HasAllowedTrailer(lines))
            {
                // Encoded and written under the one lock, like every field block: the peer's HPACK decoder must see
                // blocks in the order our encoder made them.
                _headerBlock.ResetWrittenCount();
                _encoder.BeginBlock(_headerBlock);
                for (ReadOnlySpan<byte> rest = lines; TryNextTrailer(ref rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value);)
                {
                    if (TrailerFieldFilter.IsAllowed(name)) _encoder.Encode(_headerBlock, name, value);
                }
                FrameWriter.WriteHeaders(_output, stream.Id, _headerBlock.WrittenSpan, endStream: true, _peer.MaxFrameSize);
            }
            else
            {
                FrameWriter.WriteData(_output, stream.Id, ReadOnlySequence<byte>.Empty, endStream: true, _peer.MaxFrameSize);
            }
            OnResponseEndedLocked(stream);
            RequestFlushLocked();
            return true;
        }
    }

    private static bool HasAllowedTrailer(ReadOnlySpan<byte> lines)
    {
        for (ReadOnlySpan<byte> rest = lines; TryNextTrailer(ref rest, out ReadOnlySpan<byte> name, out _);)
        {
            if (TrailerFieldFilter.IsAllowed(name)) return true;
        }
        return false;
    }

    /// <summary>
    /// Splits off the next kept line. The chunked decoder has already checked each against the field-line rules (a
    /// token, a colon, a valid value), so only the optional whitespace around the value is left to trim.
    /// </summary>
    private static bool TryNextTrailer(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int end = rest.IndexOf(LineSeparator);
        if (end < 0)
        {
            name = value = default;
            return false;
        }
        ReadOnlySpan<byte> line = rest[..end];
        rest = rest[(end + 1)..];
        int colon = line.IndexOf((byte)':');
        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }
}
