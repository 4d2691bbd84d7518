using System.Buffers;
using System.Diagnostics;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Reads the lines of a message head (start line, field lines, blank line) from a pipe's bytes into the head's own
/// buffer, checking the size limits before a line is accepted, and resuming where the previous call stopped.
/// </summary>
/// <remarks>
/// Input is copied into the head's buffer in blocks (memcpy, whatever the segments) and lines are then found with a
/// vectorised search over that one contiguous span, so the line rules never see segment boundaries. At most one
/// block past the blank line is copied for nothing.
/// A head that arrives in pieces is offered again from its first byte each time. Rather than re-parse it, the
/// reader keeps the complete lines already read in <see cref="MessageHead.Raw"/> and, when the new input starts
/// with exactly those bytes (one vectorised compare), continues after them; so a 16 KiB head arriving a byte
/// at a time costs one compare, and one copy and LF search of the unfinished line, per call, not a full parse. Any other
/// input, or a head whose last parse completed or threw, starts over from a reset head.
/// </remarks>
internal ref struct HeadLineReader
{
    // Enough for a typical head in one copy; a larger head takes several.
    private const int CopyBlockBytes = 1024;

    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line. A few, not any number:
    // the empty lines count against no other limit.
    private static ReadOnlySpan<byte> LeadingEmptyLines => "\r\n\r\n\r\n\r\n"u8;

    private readonly ReadOnlySequence<byte> _input;
    private readonly MessageHead _head;
    private readonly bool _acceptBareLineFeed;
    private readonly int _maxLeadingEmptyLineBytes;
    private readonly int _maxStartLineBytes;
    private int _filled;    // head.Buffer[0.._filled) holds input; [RawLength.._filled) is not yet read as lines
    private int _searched;  // no LF in head.Buffer[RawLength.._searched)
    private bool _plain;    // and, while true, only field-value bytes there (see FindLineFeed)

    /// <param name="input">The bytes received so far, from the first byte of the head.</param>
    /// <param name="head">Where lines are copied; reset unless this call continues its previous one.</param>
    /// <param name="acceptBareLineFeed">Whether a line may end in LF alone (responses only).</param>
    /// <param name="skipLeadingEmptyLines">Whether up to four CRLFs before the start line are ignored (requests only).</param>
    /// <param name="maxStartLineBytes">Longest start line, CRLF excluded, before <see cref="RejectReason.RequestLineTooLong"/>.</param>
    public HeadLineReader(in ReadOnlySequence<byte> input, MessageHead head, bool acceptBareLineFeed,
        bool skipLeadingEmptyLines, int maxStartLineBytes)
    {
        _input = input;
        _head = head;
        _acceptBareLineFeed = acceptBareLineFeed;
        _maxLeadingEmptyLineBytes = skipLeadingEmptyLines ? LeadingEmptyLines.Length : 0;
        _maxStartLineBytes = maxStartLineBytes;

        if (!head.IsPartial || !StartsWithPartialHead(input, head)) head.Reset();
        // Cleared until Suspend: a parse that throws or completes leaves nothing to resume.
        head.IsPartial = false;
        _filled = _searched = head.RawLength;
        _plain = true;
    }

    /// <summary>Just past the last line read.</summary>
    public readonly SequencePosition Position => _input.GetPosition(_head.LeadingEmptyLineBytes + _head.RawLength);

    /// <summary>
    /// Reads the next complete line into the head's buffer and gives its content (line ending excluded) as an
    /// offset and length in that buffer; the start line is the one at offset 0, the blank line has length 0.
    /// <paramref name="plain"/> says that every byte of the content is a field-value byte (RFC 9110 §5.5: no control
    /// byte, no DEL), so the field parser need not check the value again. False when no complete line is left.
    /// </summary>
    public bool TryReadLine(out int start, out int length, out bool plain)
    {
        start = length = 0;
        plain = false;
        if (_head.RawLength == 0 && !TrySkipLeadingEmptyLines()) return false;

        int lf;
        while ((lf = FindLineFeed()) < 0)
        {
            if (!TryCopyMore()) return false;
        }

        start = _head.RawLength;
        ReadOnlySpan<byte> line = _head.Buffer[start..lf];
        CheckLimits(line.Length, line.IsEmpty ? (byte)0 : line[0], line.IsEmpty ? (byte)0 : line[^1]);
        _head.RawLength = _searched = lf + 1;
        plain = _plain;
        _plain = true;

        // A plain line that ends in CRLF has no other CR and no bare LF: nothing for LineEndings to refuse.
        if (plain && !line.IsEmpty && line[^1] == Cr) length = line.Length - 1;
        else length = LineEndings.Content(line, _acceptBareLineFeed).Length;
        return true;
    }

    /// <summary>
    /// Adds the plain field lines that follow in the buffer to the head in one tight loop
    /// (<see cref="HeaderFieldParser.AddPlainLines"/>), so that <see cref="TryReadLine"/> is left with the blank line
    /// and the unusual lines. Call after the start line or a field line has been read.
    /// </summary>
    public void AddPlainFieldLines()
    {
        Debug.Assert(_head.RawLength > 0 && _searched == _head.RawLength && _plain, "called between lines, after the start line");
        _head.RawLength = _searched = HeaderFieldParser.AddPlainLines(_head, _filled, _head.RawLength);
    }

    /// <summary>
    /// Called when <see cref="TryReadLine"/> found no further line (so all input is in the buffer): checks that the
    /// unfinished line can still fit the limits, so an oversized head is refused without waiting for its end, and
    /// marks the head resumable.
    /// </summary>
    public readonly void Suspend()
    {
        ReadOnlySpan<byte> unfinished = _head.Buffer[_head.RawLength.._filled];
        if (!unfinished.IsEmpty) CheckLimits(unfinished.Length, unfinished[0], unfinished[^1]);
        _head.IsPartial = true;
    }

    /// <summary>
    /// The offset of the LF that ends the line at <see cref="MessageHead.RawLength"/>, searching the buffer from
    /// <see cref="_searched"/>; -1 when it is not in the buffer yet.
    /// </summary>
    /// <remarks>
    /// While the line is plain, one vectorised search for a byte outside VCHAR and SP both finds its end and
    /// checks its bytes: it stops at the CR of the CRLF in almost every line. HTAB and obs-text are field-value bytes
    /// too, so the search steps over them; any other byte makes the line not plain (the line and field rules then
    /// say which rule it breaks), and the rest of the line is only searched for its LF.
    /// </remarks>
    private int FindLineFeed()
    {
        ReadOnlySpan<byte> buffer = _head.Buffer[.._filled];
        while (_searched < buffer.Length)
        {
            if (!_plain)
            {
                int lf = buffer[_searched..].IndexOf(Lf);
                if (lf >= 0) return _searched + lf;
                _searched = buffer.Length;
                return -1;
            }

            int stop = buffer[_searched..].IndexOfAnyExceptInRange(Space, Tilde);
            if (stop < 0)
            {
                _searched = buffer.Length;
                return -1;
            }
            int at = _searched + stop;
            switch (buffer[at])
            {
                case Lf:
                    return at;
                case Cr when at + 1 == buffer.Length:
                    _searched = at;                 // its LF may be in the next block: look at the CR again then
                    return -1;
                case Cr when buffer[at + 1] == Lf:
                    return at + 1;
                case Tab or >= 0x80:
                    _searched = at + 1;
                    break;
                default:
                    _plain = false;
                    _searched = at + 1;
                    break;
            }
        }
        return -1;
    }

    /// <summary>Drops CRLFs before the start line, up to the allowed number; false when more bytes are needed to tell.</summary>
    private bool TrySkipLeadingEmptyLines()
    {
        while (_head.LeadingEmptyLineBytes < _maxLeadingEmptyLineBytes)
        {
            while (_filled < 2)
            {
                if (!TryCopyMore()) return _filled == 0 || _head.Buffer[0] != Cr;
            }
            if (!_head.Buffer.StartsWith("\r\n"u8)) return true;
            // Rare: move what follows to the front so that Raw starts with the start line.
            _head.Buffer[2.._filled].CopyTo(_head.Buffer);
            _filled -= 2;
            _searched = 0;
            _head.LeadingEmptyLineBytes += 2;
        }
        return true;
    }

    /// <summary>Copies the next block of input into the buffer; false when the input has no more bytes.</summary>
    private bool TryCopyMore()
    {
        long copied = _head.LeadingEmptyLineBytes + _filled;
        long available = _input.Length - copied;
        if (available == 0) return false;

        int room = _head.Buffer.Length - _filled;
        if (room == 0)
        {
            // The unfinished line does not fit the head at all; CheckLimits says which limit that crosses (its
            // first byte only matters after the head limit, which this line crosses, so it may be unknown here).
            long pending = _input.Length - _head.LeadingEmptyLineBytes - _head.RawLength;
            byte first = _head.RawLength < _filled ? _head.Buffer[_head.RawLength] : (byte)0;
            CheckLimits(pending, first, LastByte(_input));
        }
        int count = (int)Math.Min(available, Math.Min(room, CopyBlockBytes));
        // The usual case, a head within one segment, skips the sequence's position arithmetic.
        if (_input.IsSingleSegment) _input.FirstSpan.Slice((int)copied, count).CopyTo(_head.Buffer[_filled..]);
        else _input.Slice(copied, count).CopyTo(_head.Buffer[_filled..]);
        _filled += count;
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

    private static byte LastByte(in ReadOnlySequence<byte> bytes)
    {
        Span<byte> last = stackalloc byte[1];
        bytes.Slice(bytes.Length - 1).CopyTo(last);
        return last[0];
    }
}
