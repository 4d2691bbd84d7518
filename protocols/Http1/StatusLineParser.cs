using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>Reads <c>status-line = HTTP-version SP status-code SP [ reason-phrase ]</c> (RFC 9112 §4).</summary>
internal static class StatusLineParser
{
    /// <summary>Parses the status line held in the first <paramref name="length"/> bytes of <paramref name="head"/>'s buffer.</summary>
    public static void Parse(ResponseHead head, int length)
    {
        ReadOnlySpan<byte> line = head.Buffer[..length];
        int versionLength = line.IndexOf(Space);
        if (versionLength < 0) versionLength = line.Length;
        head.Version = HttpVersionParser.Parse(line[..versionLength]);

        int codeStart = Math.Min(versionLength + 1, line.Length);
        ReadOnlySpan<byte> afterVersion = line[codeStart..];
        head.StatusCode = StatusCode(afterVersion);

        // RFC 9112 §4: the SP before an empty reason is required, but a client SHOULD accept its absence.
        int reasonStart = Math.Min(codeStart + 4, line.Length);
        ReadOnlySpan<byte> reason = line[reasonStart..];
        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
        if (reason.IndexOfAnyExcept(FieldValue) >= 0) HttpRejectException.Throw(RejectReason.InvalidStartLine);
        head.SetReason(reasonStart, reason.Length);
    }

    /// <summary>status-code = 3DIGIT, at least 100, followed by SP or the end of the line.</summary>
    private static int StatusCode(ReadOnlySpan<byte> afterVersion)
    {
        if (afterVersion.Length < 3 || (afterVersion.Length > 3 && afterVersion[3] != Space)
            || !IsDigit(afterVersion[0]) || !IsDigit(afterVersion[1]) || !IsDigit(afterVersion[2]))
        {
            HttpRejectException.Throw(RejectReason.InvalidStatusCode);
        }
        int code = ((afterVersion[0] - '0') * 100) + ((afterVersion[1] - '0') * 10) + (afterVersion[2] - '0');
        if (code < 100) HttpRejectException.Throw(RejectReason.InvalidStatusCode);
        return code;
    }
}
