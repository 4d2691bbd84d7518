using Proxy.Protocols.Http1;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http2;

/// <summary>
/// Checks the decoded fields of one HTTP/2 field section against RFC 9113 §8.2-§8.3 (and RFC 8441 for extended
/// CONNECT): field name and value syntax, connection-specific fields, and the pseudo-header rules (allowed names, no
/// duplicates, all before regular fields, the required ones present). Fed each field as the HPACK decoder hands it
/// over, then <see cref="Complete"/> once the block ends. Returns reasons instead of throwing: a malformed message is a
/// stream error (PROTOCOL_ERROR, RFC 9113 §8.1.1), and the block must still be decoded to the end. A mutable struct,
/// one per field section; allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// Stricter than RFC 9113 §8.2.1 in one place, on purpose: a value may hold only VCHAR, obs-text, SP and HTAB (RFC 9110
/// §5.5), not just "no NUL, CR or LF", and :path only the bytes of an HTTP/1.1 request target — the same rules the
/// HTTP/1.1 parser applies, because what is accepted here is forwarded over HTTP/1.1.
/// </para>
/// <para>
/// Not checked here, because they need values kept past the call: that a Host field agrees with :authority (RFC 9113
/// §8.3.1), that content-length agrees with the DATA received (§8.1.1), cookie crumbs (§8.2.3). They are the engine's.
/// </para>
/// </remarks>
public struct FieldSectionValidator
{
    private readonly FieldSectionKind _kind;
    private readonly bool _allowExtendedConnect;
    private PseudoHeaders _seen;
    private bool _regularSeen;
    private bool _schemeIsHttp;
    private bool _pathIsAsterisk;
    private bool _pathIsOrigin;
    private bool _authorityHasPort;

    /// <summary>A validator for a section of <paramref name="kind"/>; :protocol is accepted only when <paramref name="allowExtendedConnect"/> (we sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1).</summary>
    public FieldSectionValidator(FieldSectionKind kind, bool allowExtendedConnect = false)
    {
        _kind = kind;
        _allowExtendedConnect = allowExtendedConnect;
    }

    [Flags]
    private enum PseudoHeaders : byte
    {
        None = 0,
        Method = 1,
        Scheme = 2,
        Authority = 4,
        Path = 8,
        Protocol = 16,
        Status = 32,
    }

    /// <summary>The first problem found so far, or <see cref="Http2RejectReason.None"/>.</summary>
    public Http2RejectReason Reason { readonly get; private set; }

    /// <summary>The request's method, when :method was seen and is one the proxy knows (else <see cref="KnownMethod.Other"/>).</summary>
    public KnownMethod Method { readonly get; private set; }

    /// <summary>The response's status, when a valid :status was seen; else 0.</summary>
    public int Status { readonly get; private set; }

    /// <summary>
    /// Checks one field; returns <see cref="Http2RejectReason.None"/> or why it makes the message malformed. The first
    /// reason is also kept in <see cref="Reason"/>. Cost: one vectorised scan of the name and of the value.
    /// </summary>
    public Http2RejectReason Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Http2RejectReason reason = Check(name, value);
        if (reason != Http2RejectReason.None && Reason == Http2RejectReason.None) Reason = reason;
        return reason;
    }

    /// <summary>
    /// Checks what can only be judged once the section is complete: the required pseudo-header fields, and the shape
    /// CONNECT and OPTIONS requests must have. Returns the first problem of the whole section, or
    /// <see cref="Http2RejectReason.None"/>.
    /// </summary>
    public readonly Http2RejectReason Complete()
    {
        if (Reason != Http2RejectReason.None) return Reason;
        switch (_kind)
        {
            case FieldSectionKind.Response:
                return Has(PseudoHeaders.Status) ? Http2RejectReason.None : Http2RejectReason.MissingPseudoHeader;
            case FieldSectionKind.Request:
                return CompleteRequest();
            default:
                return Http2RejectReason.None;
        }
    }

    private readonly Http2RejectReason CompleteRequest()
    {
        if (!Has(PseudoHeaders.Method)) return Http2RejectReason.MissingPseudoHeader;
        bool isConnect = Method == KnownMethod.Connect;
        if (Has(PseudoHeaders.Protocol))
        {
            // RFC 8441 §4: extended CONNECT carries :scheme and :path like any request, and :protocol only with CONNECT.
            if (!isConnect || !Has(PseudoHeaders.Scheme) || !Has(PseudoHeaders.Path) || !Has(PseudoHeaders.Authority)) return Http2RejectReason.InvalidConnectRequest;
            return Http2RejectReason.None;
        }
        if (isConnect)
        {
            // RFC 9113 §8.5: :authority holds host and port; :scheme and :path MUST be omitted.
            if (Has(PseudoHeaders.Scheme) || Has(PseudoHeaders.Path) || !Has(PseudoHeaders.Authority) || !_authorityHasPort)
                return Http2RejectReason.InvalidConnectRequest;
            return Http2RejectReason.None;
        }
        if (!Has(PseudoHeaders.Scheme) || !Has(PseudoHeaders.Path)) return Http2RejectReason.MissingPseudoHeader;
        // RFC 9113 §8.3.1: for http and https, :path starts with '/', or is '*' for an OPTIONS request.
        if (_schemeIsHttp && !_pathIsOrigin && !(_pathIsAsterisk && Method == KnownMethod.Options)) return Http2RejectReason.InvalidPath;
        return Http2RejectReason.None;
    }

    private Http2RejectReason Check(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.IsEmpty) return Http2RejectReason.InvalidHeaderName;
        if (!IsValidValue(value)) return Http2RejectReason.InvalidHeaderValue;
        return name[0] == Colon ? CheckPseudoHeader(name, value) : CheckRegular(name, value);
    }

    private Http2RejectReason CheckRegular(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _regularSeen = true;
        // RFC 9113 §8.2.1: no uppercase; the rest of RFC 9110 token, which excludes the colon and every control byte.
        if (name.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0) return Http2RejectReason.UppercaseHeaderName;
        if (name.IndexOfAnyExcept(Token) >= 0) return Http2RejectReason.InvalidHeaderName;

        // RFC 9113 §8.2.2: connection-specific fields are malformed in HTTP/2; te only as "trailers".
        switch (name.Length)
        {
            case 2 when name.SequenceEqual("te"u8):
                return System.Text.Ascii.EqualsIgnoreCase(value, "trailers"u8) ? Http2RejectReason.None : Http2RejectReason.InvalidTeHeader;
            case 7 when name.SequenceEqual("upgrade"u8):
            case 10 when name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8):
            case 16 when name.SequenceEqual("proxy-connection"u8):
            case 17 when name.SequenceEqual("transfer-encoding"u8):
                return Http2RejectReason.ConnectionSpecificHeader;
            default:
                return Http2RejectReason.None;
        }
    }

    private Http2RejectReason CheckPseudoHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // RFC 9113 §8.1: trailers carry no pseudo-header fields; §8.3: they all come before the regular fields.
        if (_kind == FieldSectionKind.Trailers) return Http2RejectReason.PseudoHeaderInTrailers;
        if (_regularSeen) return Http2RejectReason.PseudoHeaderAfterRegularHeader;

        PseudoHeaders which = Identify(name);
        if (which == PseudoHeaders.None) return Http2RejectReason.UnknownPseudoHeader;
        if (Has(which)) return Http2RejectReason.DuplicatePseudoHeader;
        _seen |= which;

        switch (which)
        {
            case PseudoHeaders.Method:
                if (value.IsEmpty || value.IndexOfAnyExcept(Token) >= 0) return Http2RejectReason.InvalidMethod;
                Method = KnownMethods.Recognise(value);
                return Http2RejectReason.None;
            case PseudoHeaders.Scheme:
                if (!IsScheme(value)) return Http2RejectReason.InvalidScheme;
                _schemeIsHttp = System.Text.Ascii.EqualsIgnoreCase(value, "http"u8) || System.Text.Ascii.EqualsIgnoreCase(value, "https"u8);
                return Http2RejectReason.None;
            case PseudoHeaders.Authority:
                // RFC 9113 §8.3.1: host [":" port], no userinfo ('@' is not a reg-name byte).
                if (!HostSyntax.IsValidAuthority(value, requirePort: false)) return Http2RejectReason.InvalidAuthority;
                _authorityHasPort = HostSyntax.IsValidAuthority(value, requirePort: true);
                return Http2RejectReason.None;
            case PseudoHeaders.Path:
                if (value.IsEmpty || value.IndexOfAnyExcept(Target) >= 0) return Http2RejectReason.InvalidPath;
                _pathIsOrigin = value[0] == Slash;
                _pathIsAsterisk = value.Length == 1 && value[0] == Asterisk;
                return Http2RejectReason.None;
            case PseudoHeaders.Protocol:
                return value.IsEmpty || value.IndexOfAnyExcept(Token) >= 0 ? Http2RejectReason.InvalidConnectRequest : Http2RejectReason.None;
            default:
                // RFC 9113 §8.3.2: :status is the three-digit status code.
                if (value.Length != 3 || !IsDigit(value[0]) || !IsDigit(value[1]) || !IsDigit(value[2])) return Http2RejectReason.InvalidStatus;
                Status = (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
                return Http2RejectReason.None;
        }
    }

    private readonly PseudoHeaders Identify(ReadOnlySpan<byte> name)
    {
        if (_kind == FieldSectionKind.Response) return name.SequenceEqual(":status"u8) ? PseudoHeaders.Status : PseudoHeaders.None;
        return name.Length switch
        {
            5 when name.SequenceEqual(":path"u8) => PseudoHeaders.Path,
            7 when name.SequenceEqual(":method"u8) => PseudoHeaders.Method,
            7 when name.SequenceEqual(":scheme"u8) => PseudoHeaders.Scheme,
            9 when _allowExtendedConnect && name.SequenceEqual(":protocol"u8) => PseudoHeaders.Protocol,
            10 when name.SequenceEqual(":authority"u8) => PseudoHeaders.Authority,
            _ => PseudoHeaders.None,
        };
    }

    private readonly bool Has(PseudoHeaders which) => (_seen & which) != 0;

    /// <summary>RFC 9113 §8.2.1 plus RFC 9110 §5.5: field-value bytes only, and no SP or HTAB at either end.</summary>
    private static bool IsValidValue(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return true;
        if (IsWhitespace(value[0]) || IsWhitespace(value[^1])) return false;
        return value.IndexOfAnyExcept(FieldValue) < 0;
    }

    /// <summary>RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).</summary>
    private static bool IsScheme(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || !char.IsAsciiLetter((char)value[0])) return false;
        foreach (byte b in value[1..])
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.')) return false;
        }
        return true;
    }
}
