using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Named bytes and the character classes of RFC 9110 §5.5-§5.6 and RFC 3986, as vectorised <see cref="SearchValues{T}"/>
/// so that validating a span is one <c>IndexOfAnyExcept</c> call.
/// </summary>
internal static class HttpCharacters
{
    public const byte Cr = (byte)'\r';
    public const byte Lf = (byte)'\n';
    public const byte Space = (byte)' ';
    public const byte Tab = (byte)'\t';
    public const byte Tilde = (byte)'~';
    public const byte Colon = (byte)':';
    public const byte Comma = (byte)',';
    public const byte Semicolon = (byte)';';
    public const byte EqualsSign = (byte)'=';
    public const byte Question = (byte)'?';
    public const byte Slash = (byte)'/';
    public const byte Asterisk = (byte)'*';
    public const byte DoubleQuote = (byte)'"';
    public const byte Backslash = (byte)'\\';
    public const byte Percent = (byte)'%';
    public const byte LeftBracket = (byte)'[';
    public const byte RightBracket = (byte)']';

    private const string Digits = "0123456789";
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>RFC 9110 §5.6.2 tchar: what a token (method, field name, coding) may hold.</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(Ascii("!#$%&'*+-.^_`|~" + Digits + Letters));

    /// <summary>RFC 9110 §5.5 field-value bytes: VCHAR, obs-text, SP and HTAB. Everything else is a control byte.</summary>
    public static readonly SearchValues<byte> FieldValue = SearchValues.Create([.. Between(0x20, 0x7E), .. Between(0x80, 0xFF), Tab]);

    /// <summary>RFC 9112 §3.2 request-target bytes: visible ASCII without '#' (a fragment is never sent).</summary>
    public static readonly SearchValues<byte> Target = SearchValues.Create(Between(0x21, 0x7E).Where(b => b != '#').ToArray());

    /// <summary>RFC 9110 §5.6.4 qdtext: HTAB, SP, '!', '#'-'[', ']'-'~', obs-text (no '"', no '\').</summary>
    public static readonly SearchValues<byte> QuotedText =
        SearchValues.Create([.. Between(0x20, 0x7E).Where(b => b is not (DoubleQuote or Backslash)), .. Between(0x80, 0xFF), Tab]);

    /// <summary>RFC 3986 §3.2.2 reg-name bytes: unreserved, sub-delims and '%' (the two hex digits after it are checked apart).</summary>
    public static readonly SearchValues<byte> RegName = SearchValues.Create(Ascii("-._~!$&'()*+,;=%" + Digits + Letters));

    /// <summary><see cref="RegName"/> without '%': the bytes of a reg-name that need no further check.</summary>
    public static readonly SearchValues<byte> PlainRegName = SearchValues.Create(Ascii("-._~!$&'()*+,;=" + Digits + Letters));

    /// <summary>HEXDIG in either case.</summary>
    public static readonly SearchValues<byte> HexDigit = SearchValues.Create(Ascii(Digits + "ABCDEFabcdef"));

    /// <summary>OWS / BWS bytes: SP and HTAB.</summary>
    public static readonly SearchValues<byte> Whitespace = SearchValues.Create(Space, Tab);

    public static bool IsWhitespace(byte b) => b is Space or Tab;

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The value of a hex digit, or -1.</summary>
    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary><paramref name="span"/> without the SP and HTAB at its start.</summary>
    public static ReadOnlySpan<byte> SkipWhitespace(ReadOnlySpan<byte> span)
    {
        int start = span.IndexOfAnyExcept(Whitespace);
        return start < 0 ? [] : span[start..];
    }

    /// <summary><paramref name="span"/> without the SP and HTAB at either end.</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        int start = span.IndexOfAnyExcept(Whitespace);
        if (start < 0) return [];
        int end = span.LastIndexOfAnyExcept(Whitespace);
        return span[start..(end + 1)];
    }

    private static byte[] Ascii(string chars) => System.Text.Encoding.ASCII.GetBytes(chars);

    // Static initialisation only, so LINQ here costs nothing per request.
    private static IEnumerable<byte> Between(int first, int last) => Enumerable.Range(first, last - first + 1).Select(b => (byte)b);
}
