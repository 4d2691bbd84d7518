using System.Globalization;
using System.Text;
using CsCheck;
using Proxy.Protocols.Http1;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>
/// Random combinations of Content-Length and Transfer-Encoding fields (with case, spacing, tab, list and lookalike
/// tricks) against a model of RFC 9112 §6.3 written apart from the parser: every head is framed exactly as the
/// model says or refused for a framing reason, and identically whole, byte by byte, split anywhere and growing
/// (the harness). This is where request smuggling lives, so it gets its own generator rather than the single-byte
/// mutations of <see cref="HeadParserPropertyTests"/>.
/// </summary>
public class FramingPropertyTests
{
    private static readonly string[] ContentLengthValues =
        ["5", "005", "5, 5", "5,5", "5 ,\t5", "6", "5, 6", "0", "-5", "+5", "5 5", "", "0x5", "5.0", "99999999999999999999", "5,"];

    private static readonly string[] TransferEncodingValues =
        ["chunked", "Chunked", "CHUNKED", "gzip", "gzip, chunked", "chunked, gzip", "chunked, chunked", "identity", "",
         "\"chunked\"", "chunked;q=1", ", chunked", "chunked,", "xchunked", "gzip,\tchunked", "deflate , chunked"];

    /// <summary>Fields that look like framing fields but are not; they must change nothing.</summary>
    private static readonly string[] Lookalikes =
        ["Transfer_Encoding: chunked", "Content_Length: 7", "X-Transfer-Encoding: chunked", "Content-Lengths: 9", "TE: chunked"];

    private static readonly Gen<string> Whitespace = Gen.Char[" \t"].Array[0, 2].Select(chars => new string(chars));

    private static Gen<string> CaseOf(string name) =>
        Gen.Bool.Array[name.Length].Select(upper => new string(name.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray()));

    private static Gen<(string Line, FramingField Field)> FieldOf(string name, string[] values, bool isContentLength) =>
        from spelled in CaseOf(name)
        from value in Gen.OneOf(values)
        from before in Whitespace
        from after in Whitespace
        select ($"{spelled}:{before}{value}{after}", new FramingField(isContentLength, value));

    private static readonly Gen<(string Line, FramingField? Field)> AnyField = Gen.Frequency(
        (3, FieldOf("Content-Length", ContentLengthValues, isContentLength: true).Select(f => (f.Line, (FramingField?)f.Field))),
        (3, FieldOf("Transfer-Encoding", TransferEncodingValues, isContentLength: false).Select(f => (f.Line, (FramingField?)f.Field))),
        (1, Gen.OneOf(Lookalikes).Select(l => (l, (FramingField?)null))));

    private static readonly Gen<(string Line, FramingField? Field)[]> Fields = AnyField.Array[0, 3];

    [Fact]
    public void Request_RandomFramingFields_FramedAsRfc9112SaysOrRefusedForFraming_SameEveryWay()
    {
        var parser = HeadParserHarness.ForRequests(HeadLimits.Default);
        Gen.Select(Fields, Gen.Bool).Sample((fields, http10) =>
        {
            string head = $"POST /p HTTP/1.{(http10 ? 0 : 1)}\r\nHost: a.test\r\n" + string.Concat(fields.Select(f => f.Line + "\r\n")) + "\r\n";
            Expected expected = Model.ForRequest(fields.Where(f => f.Field is not null).Select(f => f.Field!).ToArray(), http10);

            if (expected.Refused)
            {
                RejectReason reason = parser.RejectsAllWays(head);
                Assert.True(FramingReasons.Contains(reason), $"refused for {reason}, not a framing reason:\n{head}");
            }
            else
            {
                RequestHead parsed = parser.ParsesAllWays(head);
                Assert.True(expected.Framing == parsed.Framing && expected.Length == parsed.ContentLength,
                    $"model {expected.Framing}/{expected.Length}, parser {parsed.Framing}/{parsed.ContentLength}:\n{head}");
            }
        }, iter: 400);
    }

    [Fact]
    public void Response_RandomFramingFields_EveryMethodAndStatusClass_FramedAsRfc9112Says_SameEveryWay()
    {
        Gen<KnownMethod> method = Gen.OneOf(KnownMethod.Get, KnownMethod.Head, KnownMethod.Connect, KnownMethod.Post);
        Gen<int> status = Gen.OneOf(100, 103, 200, 204, 206, 304, 404, 502);
        Gen.Select(Fields, Gen.Bool, method, status).Sample((fields, http10, requestMethod, code) =>
        {
            var parser = HeadParserHarness.ForResponses(HeadLimits.Default, requestMethod);
            string head = $"HTTP/1.{(http10 ? 0 : 1)} {code} X\r\n" + string.Concat(fields.Select(f => f.Line + "\r\n")) + "\r\n";
            Expected expected = Model.ForResponse(fields.Where(f => f.Field is not null).Select(f => f.Field!).ToArray(), http10, requestMethod, code);

            if (expected.Refused)
            {
                RejectReason reason = parser.RejectsAllWays(head);
                Assert.True(FramingReasons.Contains(reason), $"refused for {reason}, not a framing reason:\n{head}");
            }
            else
            {
                ResponseHead parsed = parser.ParsesAllWays(head);
                Assert.True(expected.Framing == parsed.Framing && expected.Length == parsed.ContentLength,
                    $"{requestMethod}: model {expected.Framing}/{expected.Length}, parser {parsed.Framing}/{parsed.ContentLength}:\n{head}");
                if (parsed.Framing == BodyFraming.CloseDelimited) Assert.False(parsed.KeepAlive, "a close-delimited response kept alive");
            }
        }, iter: 400);
    }

    private static readonly RejectReason[] FramingReasons =
    [
        RejectReason.InvalidContentLength, RejectReason.ConflictingContentLength, RejectReason.ContentLengthWithTransferEncoding,
        RejectReason.InvalidTransferEncoding, RejectReason.UnsupportedTransferCoding,
    ];

    private sealed record FramingField(bool IsContentLength, string Value);

    private sealed record Expected(bool Refused, BodyFraming Framing, long Length)
    {
        public static readonly Expected Refuse = new(true, BodyFraming.None, -1);
    }

    /// <summary>RFC 9112 §6.1-§6.3 and RFC 9110 §8.6, as the strict reading DESIGN.md asks for; independent of the parser.</summary>
    private static class Model
    {
        public static Expected ForRequest(FramingField[] fields, bool http10)
        {
            if (!TryRead(fields, out Codings? codings, out long? length)) return Expected.Refuse;
            if (codings is not null)
            {
                // §6.3 rule 3: both is refused; §6.1: no Transfer-Encoding in HTTP/1.0; rule 4: final coding must be chunked.
                if (length is not null || http10 || !codings.ChunkedIsFinal || codings.HasOther) return Expected.Refuse;
                return new Expected(false, BodyFraming.Chunked, -1);
            }
            return length is long l ? new Expected(false, BodyFraming.ContentLength, l) : new Expected(false, BodyFraming.None, -1);
        }

        public static Expected ForResponse(FramingField[] fields, bool http10, KnownMethod method, int status)
        {
            if (!TryRead(fields, out Codings? codings, out long? length)) return Expected.Refuse;
            // Refused whatever the status: both framings, Transfer-Encoding in HTTP/1.0, or one that lists no coding.
            if (codings is not null && (length is not null || http10 || codings.IsEmpty)) return Expected.Refuse;
            // §6.3 rule 1: no body for HEAD, 1xx, 204, 304; rule 2: a 2xx to CONNECT is a tunnel.
            if (method == KnownMethod.Head || status < 200 || status is 204 or 304) return new Expected(false, BodyFraming.None, -1);
            if (method == KnownMethod.Connect && status < 300) return new Expected(false, BodyFraming.None, -1);
            if (codings is not null)
            {
                // Rule 4: not chunked last, read until close; a coding under chunked cannot be passed on re-chunked.
                if (!codings.ChunkedIsFinal) return new Expected(false, BodyFraming.CloseDelimited, -1);
                return codings.HasOther ? Expected.Refuse : new Expected(false, BodyFraming.Chunked, -1);
            }
            return length is long l ? new Expected(false, BodyFraming.ContentLength, l) : new Expected(false, BodyFraming.CloseDelimited, -1);
        }

        /// <summary>The codings (null when no Transfer-Encoding) and the length (null when no Content-Length); false when a value is malformed.</summary>
        private static bool TryRead(FramingField[] fields, out Codings? codings, out long? length)
        {
            codings = null;
            length = null;
            foreach (FramingField field in fields)
            {
                if (field.IsContentLength)
                {
                    // RFC 9110 §8.6: 1*DIGIT, or a list of identical such values; differing values never.
                    string[] parts = field.Value.Split(',');
                    foreach (string part in parts)
                    {
                        string trimmed = part.Trim(' ', '\t');
                        if (trimmed.Length == 0 || !trimmed.All(char.IsAsciiDigit)
                            || !long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long value)) return false;
                        if (length is not null && length != value) return false;
                        length = value;
                    }
                }
                else
                {
                    codings ??= new Codings();
                    // RFC 9110 §5.6.1: empty elements are ignored; each coding is a bare token here (no parameters).
                    foreach (string part in field.Value.Split(','))
                    {
                        string coding = part.Trim(' ', '\t');
                        if (coding.Length == 0) continue;
                        if (!coding.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c))) return false;
                        bool chunked = coding.Equals("chunked", StringComparison.OrdinalIgnoreCase);
                        if (chunked && codings.ChunkedSeen) return false;      // RFC 9112 §7.1: chunked at most once
                        codings.Add(chunked);
                    }
                }
            }
            return true;
        }
    }

    private sealed class Codings
    {
        public bool ChunkedSeen { get; private set; }
        public bool ChunkedIsFinal { get; private set; }
        public bool HasOther { get; private set; }
        public bool IsEmpty => !ChunkedSeen && !HasOther;

        public void Add(bool chunked)
        {
            ChunkedSeen |= chunked;
            HasOther |= !chunked;
            ChunkedIsFinal = chunked;
        }
    }
}
