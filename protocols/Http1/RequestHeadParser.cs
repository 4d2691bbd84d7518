using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Parses an HTTP/1.1 request head (RFC 9112 §2-§6) from the bytes of a pipe, strictly: anything ambiguous is
/// rejected rather than guessed at, because a proxy that reads a head differently from its upstream is a
/// request-smuggling hole.
/// </summary>
public static class RequestHeadParser
{
    /// <summary>
    /// Parses one request head from the start of <paramref name="input"/> into <paramref name="head"/> (reset first).
    /// Returns false when the head is not complete yet (nothing consumed: call again with more bytes).
    /// Returns true with <paramref name="consumed"/> just past the blank line that ends the head.
    /// Throws <see cref="HttpRejectException"/> for malformed input or a crossed limit, as soon as the bytes seen
    /// prove it, even when the head is still incomplete.
    /// </summary>
    /// <remarks>
    /// Syntax (line endings, start line, field lines) and limits are judged line by line as lines complete; Host,
    /// framing and Connection are judged once the blank line has arrived. After a false return, a call whose input
    /// starts with the same bytes continues after the lines already read instead of parsing them again, so a head
    /// trickling in costs about one pass over its bytes. Allocates nothing; not thread-safe for one head.
    /// Up to four empty lines before the request line are skipped (RFC 9112 §2.2) and consumed.
    /// </remarks>
    public static bool TryParse(in ReadOnlySequence<byte> input, RequestHead head, out SequencePosition consumed)
    {
        ArgumentNullException.ThrowIfNull(head);
        var lines = new HeadLineReader(input, head, acceptBareLineFeed: false, skipLeadingEmptyLines: true,
            head.Limits.MaxRequestLineBytes);
        while (lines.TryReadLine(out int start, out int length, out bool plain))
        {
            if (start == 0)
            {
                RequestLineParser.Parse(head, length);
            }
            else if (length == 0)
            {
                Complete(head);
                consumed = lines.Position;
                return true;
            }
            else
            {
                HeaderFieldParser.Add(head, start, length, plain);
            }
            // The usual field lines are taken in bulk; TryReadLine is left with the blank line and unusual lines.
            lines.AddPlainFieldLines();
        }
        lines.Suspend();
        consumed = input.Start;
        return false;
    }

    private static void Complete(RequestHead head)
    {
        FieldSummary fields = FieldSummary.Gather(head);
        ApplyHost(head, in fields);
        ApplyFraming(head, in fields);
        head.KeepAlive = fields.KeepAliveFor(head.Version);
        head.ExpectContinue = fields.ExpectContinue;
        head.HasUpgrade = fields.HasUpgrade;
    }

    private static void ApplyHost(RequestHead head, in FieldSummary fields)
    {
        // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, to any request with more than
        // one Host, and to a Host whose value is invalid - also when an absolute-form target makes Host unused.
        if (fields.HostCount > 1) HttpRejectException.Throw(RejectReason.DuplicateHost);
        if (fields.HostCount == 0)
        {
            if (head.Version == HttpVersion.Http11) HttpRejectException.Throw(RejectReason.MissingHost);
            return;
        }
        HeaderField host = head.Headers[fields.HostIndex];
        if (!HostSyntax.IsValidAuthority(head.ValueOf(host), requirePort: false)) HttpRejectException.Throw(RejectReason.InvalidHost);
        // RFC 9112 §3.2.2: with an absolute-form target, the target's authority wins over the Host field.
        if (!head.HostFromTarget) head.SetHost(host.ValueStart, host.ValueLength);
    }

    /// <summary>
    /// RFC 9112 §6.3 for requests: chunked when Transfer-Encoding ends in chunked, else Content-Length, else no body.
    /// "Content-Length: 0" gives <see cref="BodyFraming.ContentLength"/> with length 0, as sent.
    /// </summary>
    private static void ApplyFraming(RequestHead head, in FieldSummary fields)
    {
        TransferCodingList codings = fields.TransferCodings;
        if (codings.IsPresent)
        {
            // RFC 9112 §6.3 rule 3: both headers is the classic smuggling shape; refuse rather than pick one.
            if (fields.HasContentLength) HttpRejectException.Throw(RejectReason.ContentLengthWithTransferEncoding);
            // RFC 9112 §6.1: HTTP/1.0 has no Transfer-Encoding, so its framing must be treated as faulty.
            if (head.Version == HttpVersion.Http10) HttpRejectException.Throw(RejectReason.InvalidTransferEncoding);
            // RFC 9112 §6.3 rule 4: a request whose final coding is not chunked cannot be framed: 400.
            if (!codings.ChunkedIsFinal) HttpRejectException.Throw(RejectReason.InvalidTransferEncoding);
            // RFC 9112 §6.1: a coding we do not implement under chunked: 501.
            if (codings.HasOtherCoding) HttpRejectException.Throw(RejectReason.UnsupportedTransferCoding);
            head.Framing = BodyFraming.Chunked;
        }
        else if (fields.HasContentLength)
        {
            head.Framing = BodyFraming.ContentLength;
            head.ContentLength = fields.ContentLength;
        }
    }
}
