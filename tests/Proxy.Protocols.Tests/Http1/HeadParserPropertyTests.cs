using System.Buffers;
using System.Text;
using CsCheck;
using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>Random heads, valid and not: every delivery must agree, and nothing but a rejection may ever be thrown.</summary>
public class HeadParserPropertyTests
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string PathChars = "abcxyzABC0123456789-._~!$&'()*+,;=:@%/";

    private static readonly Gen<string> Token = Gen.Char[TokenChars].Array[1, 10].Select(chars => new string(chars));

    private static readonly Gen<string> Value =
        Gen.Frequency((8, Gen.Char[' ', '~']), (1, Gen.Char['\x80', '\xff']), (1, Gen.Const('\t'))).Array[0, 40].Select(chars => new string(chars));

    private static readonly Gen<(string Name, string Value)> Field = Gen.Select(Token.Select(t => "X-" + t), Value);

    private static readonly Gen<string> Path = Gen.Char[PathChars].Array[0, 30].Select(chars => "/" + new string(chars));

    private static readonly Gen<string> Query = Gen.Frequency(
        (2, Gen.Const("")),
        (1, Gen.Char[PathChars + "?"].Array[0, 20].Select(chars => "?" + new string(chars))));

    /// <summary>A valid request and what it should parse to.</summary>
    private static readonly Gen<RequestModel> Request =
        from method in Gen.Frequency((4, Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")), (1, Token))
        from path in Path
        from query in Query
        from http10 in Gen.Bool
        from framing in Gen.Int[0, 2]
        from length in Gen.Long[0, long.MaxValue]
        from fields in Field.Array[0, 12]
        from hostFirst in Gen.Bool
        select new RequestModel(method, path, query, http10, http10 && framing == 2 ? 0 : framing, length, fields, hostFirst);

    [Fact]
    public void TryParse_RandomValidRequests_ParseIdenticallyEveryWayAndAsGenerated()
    {
        var parser = HeadParserHarness.ForRequests(HeadLimits.Default);
        Request.Sample(model =>
        {
            RequestHead head = parser.ParsesAllWays(model.Text);

            Assert.Equal(model.Method, Text(head.MethodName));
            Assert.Equal(model.Path, Text(head.Path));
            Assert.Equal(model.Query, Text(head.Query));
            Assert.Equal(model.Http10 ? HttpVersion.Http10 : HttpVersion.Http11, head.Version);
            Assert.Equal("proxy.test", Text(head.Host));
            Assert.Equal(model.Framing, head.Framing);
            Assert.Equal(model.Framing == BodyFraming.ContentLength ? model.Length : -1, head.ContentLength);
            Assert.Equal(model.ExpectedFields, HeadSnapshot.HeadersOf(head));
        }, iter: 150);
    }

    [Fact]
    public void TryParse_RandomOrMutatedRequestBytes_OnlyRejectAndAgreeEveryWay()
    {
        var limits = new HeadLimits(512, 8, 200);
        Gen<byte[]> input = Gen.Frequency(
            (1, Gen.Byte.Array[0, 300]),
            (2, Gen.Char["GET /HTTP1.0\r\n :Hostcnkdi\t\0\x80,-"].Array[0, 300].Select(chars => Bytes(new string(chars)))),
            (4, Mutated(Request.Select(model => model.Text))));

        input.Sample(bytes => AssertAgreesEveryWay(bytes, () => new RequestHead(limits),
            (in ReadOnlySequence<byte> sequence, RequestHead head) => RequestHeadParser.TryParse(sequence, head, out _)), iter: 3000);
    }

    [Fact]
    public void TryParse_RandomOrMutatedResponseBytes_OnlyRejectAndAgreeEveryWay()
    {
        var limits = new HeadLimits(512, 8, 512);
        Gen<string> response =
            from code in Gen.Int[100, 599]
            from fields in Field.Array[0, 8]
            from framing in Gen.OneOf("", "Content-Length: 10\r\n", "Transfer-Encoding: chunked\r\n", "Connection: close\r\n")
            select $"HTTP/1.1 {code} Reason\r\n{framing}{string.Concat(fields.Select(f => $"{f.Name}: {f.Value}\r\n"))}\r\n";
        Gen<byte[]> input = Gen.Frequency(
            (1, Gen.Byte.Array[0, 300]),
            (4, Mutated(response)));

        input.Sample(bytes => AssertAgreesEveryWay(bytes, () => new ResponseHead(limits),
            (in ReadOnlySequence<byte> sequence, ResponseHead head) => ResponseHeadParser.TryParse(sequence, head, KnownMethod.Get, out _)), iter: 3000);
    }

    private delegate bool TryParse<THead>(in ReadOnlySequence<byte> input, THead head);

    /// <summary>Whole, one byte per segment and growing one byte per call must end the same way, and only ever throw a rejection.</summary>
    private static void AssertAgreesEveryWay<THead>(byte[] bytes, Func<THead> newHead, TryParse<THead> parse)
        where THead : MessageHead
    {
        string whole = Outcome(new ReadOnlySequence<byte>(bytes), newHead(), parse);
        Assert.Equal(whole, Outcome(OneBytePerSegment(bytes), newHead(), parse));
        Assert.Equal(whole, Outcome(SplitAt(bytes, bytes.Length / 3), newHead(), parse));

        THead growing = newHead();
        string outcome = "incomplete";
        for (int length = 0; length <= bytes.Length && outcome == "incomplete"; length++)
        {
            outcome = Outcome(new ReadOnlySequence<byte>(bytes, 0, length), growing, parse);
        }
        Assert.Equal(whole, outcome);
    }

    private static string Outcome<THead>(ReadOnlySequence<byte> input, THead head, TryParse<THead> parse)
        where THead : MessageHead
    {
        try
        {
            return parse(input, head) ? "complete " + HeadSnapshot.Of(head, 0) : "incomplete";
        }
        catch (HttpRejectException e)
        {
            return "rejected " + e.Reason;
        }
    }

    /// <summary>Valid text with one byte replaced, inserted or removed, or cut short.</summary>
    private static Gen<byte[]> Mutated(Gen<string> valid) =>
        from text in valid
        from kind in Gen.Int[0, 3]
        from position in Gen.Int[0, 10_000]
        from value in Gen.Frequency((3, Gen.Byte), (1, Gen.OneOf((byte)'\r', (byte)'\n', (byte)' ', (byte)':', (byte)0)))
        select Mutate(Bytes(text), kind, position % (text.Length + 1), value);

    private static byte[] Mutate(byte[] bytes, int kind, int position, byte value)
    {
        var list = new List<byte>(bytes);
        switch (kind)
        {
            case 0 when position < list.Count: list[position] = value; break;
            case 1: list.Insert(position, value); break;
            case 2 when position < list.Count: list.RemoveAt(position); break;
            default: list.RemoveRange(position, list.Count - position); break;
        }
        return [.. list];
    }

    internal sealed record RequestModel(
        string Method, string Path, string Query, bool Http10, int FramingChoice, long Length, (string Name, string Value)[] Fields, bool HostFirst)
    {
        public BodyFraming Framing => FramingChoice switch { 1 => BodyFraming.ContentLength, 2 => BodyFraming.Chunked, _ => BodyFraming.None };

        private string FramingField => Framing switch
        {
            BodyFraming.ContentLength => $"Content-Length: {Length}",
            BodyFraming.Chunked => "Transfer-Encoding: chunked",
            _ => "",
        };

        private IEnumerable<(string Line, string Expected)> Lines()
        {
            if (HostFirst) yield return ("Host: proxy.test", "Host: proxy.test [Host]");
            foreach ((string name, string value) in Fields) yield return ($"{name}:{value}", $"{name}: {value.Trim(' ', '\t')} [None]");
            if (FramingField.Length > 0)
            {
                yield return (FramingField, Framing == BodyFraming.Chunked ? FramingField + " [TransferEncoding] hop" : FramingField + " [ContentLength]");
            }
            if (!HostFirst) yield return ("Host: proxy.test", "Host: proxy.test [Host]");
        }

        public string Text
        {
            get
            {
                var text = new StringBuilder($"{Method} {Path}{Query} HTTP/1.{(Http10 ? 0 : 1)}\r\n");
                foreach ((string line, _) in Lines()) text.Append(line).Append("\r\n");
                return text.Append("\r\n").ToString();
            }
        }

        public string ExpectedFields => string.Join("\n", Lines().Select(l => l.Expected));

        public override string ToString() => Text;
    }
}
