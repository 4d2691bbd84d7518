using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>Parses an HTTP/1.x response head from an upstream (RFC 9112 §4-§6).</summary>
public static class ResponseHeadParser
{
    /// <summary>
    /// Parses one response head from the start of <paramref name="input"/> into <paramref name="head"/> (reset first).
    /// <paramref name="requestMethod"/> decides framing: a response to HEAD, and any 1xx, 204 or 304, has no body.
    /// Returns false when incomplete; true with <paramref name="consumed"/> past the blank line; throws
    /// <see cref="HttpRejectException"/> when malformed.
    /// </summary>
    /// <remarks>
    /// As strict as <see cref="RequestHeadParser"/> except where RFC 9112 lets a recipient be lenient: lines may end
    /// in a bare LF (§2.2) and the SP before an empty reason phrase may be missing (§4). A Transfer-Encoding whose
    /// last coding is not chunked gives <see cref="BodyFraming.CloseDelimited"/> (§6.3 rule 4), which also turns
    /// <see cref="MessageHead.KeepAlive"/> off. Resumes like the request parser; allocates nothing.
    /// </remarks>
    public static bool TryParse(in ReadOnlySequence<byte> input, ResponseHead head, KnownMethod requestMethod, out SequencePosition consumed)
    {
        ArgumentNullException.ThrowIfNull(head);
        var lines = new HeadLineReader(input, head, acceptBareLineFeed: true, skipLeadingEmptyLines: false, int.MaxValue);
        while (lines.TryReadLine(out int start, out int length, out bool plain))
        {
            if (start == 0)
            {
                StatusLineParser.Parse(head, length);
            }
            else if (length == 0)
            {
                Complete(head, requestMethod);
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

    private static void Complete(ResponseHead head, KnownMethod requestMethod)
    {
        FieldSummary fields = FieldSummary.Gather(head);
        if (fields.TransferCodings.IsPresent)
        {
            // RFC 9112 §6.3 rule 3: "ought to be handled as an error"; the connection is not reused either way.
            if (fields.HasContentLength) HttpRejectException.Throw(RejectReason.ContentLengthWithTransferEncoding);
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing; an empty one frames nothing.
            if (head.Version == HttpVersion.Http10 || fields.TransferCodings.IsEmpty) HttpRejectException.Throw(RejectReason.InvalidTransferEncoding);
        }
        head.Framing = Framing(head, requestMethod, in fields);
        if (head.Framing == BodyFraming.ContentLength) head.ContentLength = fields.ContentLength;
        head.KeepAlive = head.Framing != BodyFraming.CloseDelimited && fields.KeepAliveFor(head.Version);
    }

    /// <summary>RFC 9112 §6.3, in its order.</summary>
    private static BodyFraming Framing(ResponseHead head, KnownMethod requestMethod, in FieldSummary fields)
    {
        int status = head.StatusCode;
        // Rule 1: a response to HEAD, and every 1xx, 204 and 304, ends with its head whatever its fields say.
        if (requestMethod == KnownMethod.Head || status < 200 || status is 204 or 304) return BodyFraming.None;
        // Rule 2: a 2xx to CONNECT turns the connection into a tunnel; there is no body to frame.
        if (requestMethod == KnownMethod.Connect && status < 300) return BodyFraming.None;

        TransferCodingList codings = fields.TransferCodings;
        if (codings.IsPresent)
        {
            // Rule 4: a final coding other than chunked is read until the upstream closes.
            if (!codings.ChunkedIsFinal) return BodyFraming.CloseDelimited;
            // A coding under chunked (gzip, chunked) would reach the client undeclared once the proxy re-chunks; refuse.
            if (codings.HasOtherCoding) HttpRejectException.Throw(RejectReason.UnsupportedTransferCoding);
            return BodyFraming.Chunked;
        }
        // Rules 5-7.
        return fields.HasContentLength ? BodyFraming.ContentLength : BodyFraming.CloseDelimited;
    }
}
