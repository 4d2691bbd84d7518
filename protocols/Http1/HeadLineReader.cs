using System.Buffers;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Reads the lines of a message head (start line, field lines, blank line) from a pipe's bytes into the head's own
/// buffer, checking the size limits before any line is copied, and resuming where the previous call stopped.
/// </summary>
/// <remarks>
/// A head that arrives in pieces is offered again from its first byte each time. Rather than re-parse it, the
/// reader keeps the complete lines already read in <see cref="MessageHead.Raw"/> and, when the new input starts
/// with exactly those bytes (one vectorised compare), continues after them; so a 16 KiB head arriving a byte
/// at a time costs one compare and one LF search of the unfinished line per call, not a full parse. Any other
/// input, or a head whose last parse completed or threw, starts over from a reset head.
/// </remarks>
internal ref struct HeadLineReader
{
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line. A few, not any number:
    // the empty lines count against no other limit.
    private static ReadOnlySpan<byte> LeadingEmptyLines => "\r\n\r\n\r\n\r\n"u8;

    private readonly MessageHead _head;
    private readonly bool _acceptBareLineFeed;
    private readonly int _maxLeadingEmptyLineBytes;
    private readonly int _maxStartLineBytes;
    private SequenceReader<byte> _reader;

    /// <param name="input">The bytes received so far, from the first byte of the head.</param>
    /// <param name="head">Where lines are copied; reset unless this call continues its previous one.</param>
    /// <param name="acceptBareLineFeed">Whether a line may end in LF alone (responses only).</param>
    /// <param name="skipLeadingEmptyLines">Whether up to four CRLFs before the start line are ignored (requests only).</param>
    /// <param name="maxStartLineBytes">Longest start line, CRLF excluded, before <see cref="RejectReason.RequestLineTooLong"/>.</param>
    public HeadLineReader(in ReadOnlySequence<byte> input, MessageHead head, bool acceptBareLineFeed,
        bool skipLeadingEmptyLines, int maxStartLineBytes)
    {
        _head = head;
        _acceptBareLineFeed = acceptBareLineFeed;
        _maxLeadingEmptyLineBytes = skipLeadingEmptyLines ? LeadingEmptyLines.Length : 0;
        _maxStartLineBytes = maxStartLineBytes;
        _reader = new SequenceReader<byte>(input);

        if (head.IsPartial && StartsWithPartialHead(input, head)) _reader.Advance(head.LeadingEmptyLineBytes + head.RawLength);
        else head.Reset();
        // Cleared until Suspend: a parse that throws or completes leaves nothing to resume.
        head.IsPartial = false;
    }

    /// <summary>Just past the last line read.</summary>
    public readonly SequencePosition Position => _reader.Position;

    /// <summary>
    /// Reads the next complete line into the head's buffer and gives its content (line ending excluded) as an
    /// offset and length in that buffer; the start line is the one at offset 0, the blank line has length 0.
    /// False when no complete line is left in the input.
    /// </summary>
    public bool TryReadLine(out int start, out int length)
    {
        ReadOnlySequence<byte> line;
        while (true)
        {
            if (!_reader.TryReadTo(out line, Lf)) break;
            if (!TrySkipLeadingEmptyLine(line)) return Copy(line, out start, out length);
        }
        start = length = 0;
        return false;
    }

    /// <summary>
    /// Called when <see cref="TryReadLine"/> found no further line: checks that the unfinished line can still fit
    /// the limits (so an oversized head is refused without waiting for its end) and marks the head resumable.
    /// </summary>
    public readonly void Suspend()
    {
        if (_reader.TryPeek(out byte first))
        {
            ReadOnlySequence<byte> unfinished = _reader.UnreadSequence;
            CheckLimits(unfinished.Length, first, LastByte(unfinished));
        }
        _head.IsPartial = true;
    }

    private bool TrySkipLeadingEmptyLine(in ReadOnlySequence<byte> line)
    {
        if (_head.RawLength != 0 || _head.LeadingEmptyLineBytes == _maxLeadingEmptyLineBytes) return false;
        if (line.Length != 1 || LastByte(line) != Cr) return false;
        _head.LeadingEmptyLineBytes += 2;
        return true;
    }

    private readonly bool Copy(in ReadOnlySequence<byte> line, out int start, out int length)
    {
        long lineLength = line.Length;
        CheckLimits(lineLength, FirstByte(line), LastByte(line));

        start = _head.RawLength;
        Span<byte> destination = _head.Buffer.Slice(start, (int)lineLength + 1);
        line.CopyTo(destination);
        destination[^1] = Lf;
        _head.RawLength = start + destination.Length;

        length = LineEndings.Content(destination[..^1], _acceptBareLineFeed).Length;
        return true;
    }

    /// <summary>
    /// The limits a line of <paramref name="lineBytes"/> (LF excluded) crosses, judged the same way whether the line
    /// is complete or still arriving (then its LF is yet to come, and a trailing CR may be the one before it), so that
    /// a head is refused for the same reason however its bytes were split.
    /// </summary>
    private readonly void CheckLimits(long lineBytes, byte first, byte last)
    {
        if (_head.RawLength == 0)
        {
            long contentBytes = lineBytes - (last == Cr ? 1 : 0);
            if (contentBytes > _maxStartLineBytes) HttpRejectException.Throw(RejectReason.RequestLineTooLong);
        }
        if (_head.RawLength + lineBytes + 1 > _head.Limits.MaxHeadBytes) HttpRejectException.Throw(RejectReason.HeadTooLarge);
        // Once MaxHeaderCount fields are in, any line that does not start like the blank line is one too many.
        if (_head.RawLength != 0 && _head.HeaderCount == _head.Limits.MaxHeaderCount && lineBytes > 0 && first != Cr)
        {
            HttpRejectException.Throw(RejectReason.TooManyHeaders);
        }
    }

    private static bool StartsWithPartialHead(in ReadOnlySequence<byte> input, MessageHead head)
    {
        int leading = head.LeadingEmptyLineBytes;
        return input.Length >= leading + head.RawLength
            && StartsWith(input, LeadingEmptyLines[..leading])
            && StartsWith(input.Slice(leading), head.Raw);
    }

    private static bool StartsWith(in ReadOnlySequence<byte> sequence, ReadOnlySpan<byte> prefix)
    {
        foreach (ReadOnlyMemory<byte> segment in sequence)
        {
            if (prefix.IsEmpty) break;
            ReadOnlySpan<byte> span = segment.Span;
            int count = Math.Min(span.Length, prefix.Length);
            if (!span[..count].SequenceEqual(prefix[..count])) return false;
            prefix = prefix[count..];
        }
        return prefix.IsEmpty;
    }

    private static byte FirstByte(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty) return 0;
        if (!bytes.FirstSpan.IsEmpty) return bytes.FirstSpan[0];
        Span<byte> first = stackalloc byte[1];
        bytes.Slice(0, 1).CopyTo(first);
        return first[0];
    }

    private static byte LastByte(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty) return 0;
        if (bytes.IsSingleSegment) return bytes.FirstSpan[^1];
        Span<byte> last = stackalloc byte[1];
        bytes.Slice(bytes.Length - 1).CopyTo(last);
        return last[0];
    }
}
