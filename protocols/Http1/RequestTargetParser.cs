using System.Text;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Reads the request-target (RFC 9112 §3.2) in its four forms and sets the head's target, path, query and, for
/// absolute- and authority-form, host. Every span points into the head's buffer.
/// </summary>
internal static class RequestTargetParser
{
    /// <summary>Parses the target at <paramref name="start"/> in <paramref name="head"/>'s buffer; the method is already known.</summary>
    public static void Parse(RequestHead head, int start, int length)
    {
        ReadOnlySpan<byte> target = head.Buffer.Slice(start, length);
        // Visible ASCII only; '#' never belongs on the wire (RFC 9112 §3.2: no fragment in a request-target).
        if (target.IndexOfAnyExcept(Target) >= 0) HttpRejectException.Throw(RejectReason.InvalidTarget);
        head.SetTarget(start, length);

        if (head.Method == KnownMethod.Connect) ParseAuthorityForm(head, start, target);
        else if (target[0] == Slash) SetPathAndQuery(head, start, length);
        else if (target.Length == 1 && target[0] == Asterisk && head.Method == KnownMethod.Options) SetAsteriskForm(head, start);
        else ParseAbsoluteForm(head, start, target);
    }

    /// <summary>RFC 9112 §3.2.1 origin-form, or the path-and-query of absolute-form: the path runs to the first '?'.</summary>
    private static void SetPathAndQuery(RequestHead head, int start, int length)
    {
        int pathLength = head.Buffer.Slice(start, length).IndexOf(Question);
        if (pathLength < 0) pathLength = length;
        head.SetPath(start, pathLength);
        head.SetQuery(start + pathLength, length - pathLength);
    }

    /// <summary>RFC 9112 §3.2.4: "*" for a server-wide OPTIONS. The path is the "*" itself.</summary>
    private static void SetAsteriskForm(RequestHead head, int start)
    {
        head.SetPath(start, 1);
        head.SetQuery(start + 1, 0);
    }

    /// <summary>RFC 9112 §3.2.3: CONNECT names <c>host:port</c> and nothing else; no path, no query.</summary>
    private static void ParseAuthorityForm(RequestHead head, int start, ReadOnlySpan<byte> target)
    {
        if (!HostSyntax.IsValidAuthority(target, requirePort: true)) HttpRejectException.Throw(RejectReason.InvalidTarget);
        head.SetHost(start, target.Length);
        head.HostFromTarget = true;
        head.SetPath(start + target.Length, 0);
        head.SetQuery(start + target.Length, 0);
    }

    /// <summary>
    /// RFC 9112 §3.2.2 absolute-form, for the http and https schemes only (case-insensitive, RFC 3986 §3.1).
    /// The authority becomes the host; the Host field is then only checked, not used.
    /// </summary>
    private static void ParseAbsoluteForm(RequestHead head, int start, ReadOnlySpan<byte> target)
    {
        int schemeLength = SchemeLength(target);
        if (schemeLength == 0) HttpRejectException.Throw(RejectReason.InvalidTarget);

        ReadOnlySpan<byte> afterScheme = target[schemeLength..];
        int authorityLength = afterScheme.IndexOfAny(Slash, Question);
        if (authorityLength < 0) authorityLength = afterScheme.Length;
        // Userinfo ('@' is not a reg-name byte) and an empty host are refused here (RFC 9110 §4.2.1, §4.2.4).
        if (!HostSyntax.IsValidAuthority(afterScheme[..authorityLength], requirePort: false)) HttpRejectException.Throw(RejectReason.InvalidTarget);

        int authorityStart = start + schemeLength;
        head.SetHost(authorityStart, authorityLength);
        head.HostFromTarget = true;

        int rest = authorityStart + authorityLength;
        int restLength = target.Length - schemeLength - authorityLength;
        if (restLength > 0 && head.Buffer[rest] == Slash)
        {
            SetPathAndQuery(head, rest, restLength);
            return;
        }
        // RFC 9110 §4.2.3: an empty path is "/". Spans point into the buffer, so borrow the last '/' of "://".
        head.SetPath(authorityStart - 1, 1);
        head.SetQuery(rest, restLength);
    }

    private static int SchemeLength(ReadOnlySpan<byte> target)
    {
        if (target.Length > 7 && Ascii.EqualsIgnoreCase(target[..7], "http://"u8)) return 7;
        if (target.Length > 8 && Ascii.EqualsIgnoreCase(target[..8], "https://"u8)) return 8;
        return 0;
    }
}
