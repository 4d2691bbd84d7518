using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>Reads <c>request-line = method SP request-target SP HTTP-version</c> (RFC 9112 §3), single spaces only.</summary>
internal static class RequestLineParser
{
    /// <summary>Parses the request line held in the first <paramref name="length"/> bytes of <paramref name="head"/>'s buffer.</summary>
    public static void Parse(RequestHead head, int length)
    {
        ReadOnlySpan<byte> line = head.Buffer[..length];

        int methodLength = MethodLength(line);
        head.SetMethod(methodLength, KnownMethods.Recognise(line[..methodLength]));

        int targetStart = methodLength + 1;
        int targetLength = line[targetStart..].IndexOf(Space);
        // RFC 9112 §3: exactly one SP on each side of the target; an empty target means two SPs in a row.
        if (targetLength <= 0) HttpRejectException.Throw(RejectReason.InvalidStartLine);

        ReadOnlySpan<byte> version = line[(targetStart + targetLength + 1)..];
        if (version.Contains(Space)) HttpRejectException.Throw(RejectReason.InvalidStartLine);
        head.Version = HttpVersionParser.Parse(version);

        RequestTargetParser.Parse(head, targetStart, targetLength);
    }

    /// <summary>The length of the method token (RFC 9110 §9.1), which must be followed by SP.</summary>
    private static int MethodLength(ReadOnlySpan<byte> line)
    {
        int end = line.IndexOfAnyExcept(Token);
        if (end < 0) HttpRejectException.Throw(RejectReason.InvalidStartLine);
        if (end == 0 || line[end] != Space) HttpRejectException.Throw(RejectReason.InvalidMethod);
        return end;
    }
}
