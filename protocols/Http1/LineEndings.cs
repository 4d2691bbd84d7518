using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>The line-ending rules of RFC 9112 §2.2, in one place for heads, chunk-size lines and trailers.</summary>
internal static class LineEndings
{
    /// <summary>
    /// Returns the content of a line given without its LF: the CR before the LF is removed, and
    /// <paramref name="acceptBareLineFeed"/> says whether a line may end in LF alone. A CR anywhere else is refused.
    /// </summary>
    public static ReadOnlySpan<byte> Content(ReadOnlySpan<byte> lineBeforeLf, bool acceptBareLineFeed)
    {
        ReadOnlySpan<byte> content = lineBeforeLf;
        if (!content.IsEmpty && content[^1] == Cr) content = content[..^1];
        // RFC 9112 §2.2: a recipient MAY accept a bare LF, but two hops that disagree on where a line ends
        // disagree on the message; requests and chunk framing are held to CRLF.
        else if (!acceptBareLineFeed) HttpRejectException.Throw(RejectReason.BareLineFeed);

        // RFC 9112 §2.2: a bare CR is invalid; a recipient must reject it or replace it with SP. We reject.
        if (content.Contains(Cr)) HttpRejectException.Throw(RejectReason.BareCarriageReturn);
        return content;
    }
}
