using System.Buffers;
using Proxy.Protocols.Hpack;
using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

/// <summary>
/// Turns the decoded fields of an HTTP/2 request (or its trailers) into HTTP/1.1 bytes, written straight into the
/// stream's request pipe as the HPACK decoder hands them over:
/// <code>
/// :method :path            ->  "GET /path HTTP/1.1"
/// :authority               ->  "host: example.com"   (a host field that differs makes the request malformed)
/// cookie (crumbs)          ->  one "cookie: a=1; b=2" (RFC 9113 §8.2.3)
/// other fields             ->  as they are (names are already lowercase, values already checked)
/// no content-length, body  ->  "transfer-encoding: chunked"
/// trailers                 ->  chunked trailer fields after the last chunk
/// </code>
/// Every field first goes through <see cref="FieldSectionValidator"/> (RFC 9113 §8.2-8.3: connection-specific fields,
/// pseudo-header rules, field syntax); a malformed section is a stream error, and its bytes are never read. What the
/// HTTP/1.1 side then parses is held to every limit and rule of the HTTP/1.1 path (max_request_head, max_headers, ...),
/// so both protocols share one set of request hardening. One per connection, reused block after block (HTTP/2 field
/// blocks never interleave); not thread-safe.
/// </summary>
internal sealed class RequestTranslator
{
    private readonly ArrayBufferWriter<byte> _pseudo = new(256);
    private readonly ArrayBufferWriter<byte> _cookies = new(256);
    private FieldSectionValidator _validator;
    private IBufferWriter<byte>? _output;
    private FieldSectionKind _kind;
    private Range _method, _path, _authority;
    private bool _lineWritten;
    private bool _hostMismatch;
    private bool _contentLengthInvalid;

    /// <summary>Bytes written into the pipe for the current block.</summary>
    public long Written { get; private set; }

    /// <summary>The request's content-length, or -1 when it has none.</summary>
    public long ContentLength { get; private set; }

    /// <summary>The request's method, once its section is complete.</summary>
    public KnownMethod Method => _validator.Method;

    /// <summary>Starts a request's header section, written into <paramref name="output"/>.</summary>
    public void BeginRequest(IBufferWriter<byte> output) => Begin(output, FieldSectionKind.Request);

    /// <summary>
    /// Starts a trailer section. With <paramref name="output"/> null (a body framed by content-length, which has no room
    /// for trailers) the fields are checked and dropped.
    /// </summary>
    public void BeginTrailers(IBufferWriter<byte>? output)
    {
        Begin(output, FieldSectionKind.Trailers);
        if (output is not null) Write("0\r\n"u8);
    }

    private void Begin(IBufferWriter<byte>? output, FieldSectionKind kind)
    {
        _output = output;
        _kind = kind;
        _validator = new FieldSectionValidator(kind);
        _pseudo.ResetWrittenCount();
        _cookies.ResetWrittenCount();
        _method = _path = _authority = default;
        _lineWritten = _hostMismatch = _contentLengthInvalid = false;
        ContentLength = -1;
        Written = 0;
    }

    /// <summary>One decoded field (the HPACK handler's call).</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_validator.Add(name, value) != Http2RejectReason.None || _validator.Reason != Http2RejectReason.None) return;
        if (_kind == FieldSectionKind.Trailers)
        {
            if (_output is not null) WriteField(name, value);
            return;
        }
        if (name[0] == (byte)':')
        {
            Range kept = Keep(value);
            switch (name.Length)
            {
                case 5: _path = kept; break;                                   // :path
                case 7 when name[1] == (byte)'m': _method = kept; break;       // :method
                case 10: _authority = kept; break;                             // :authority
                default: break;                                                // :scheme: the listener decides
            }
            return;
        }
        if (!_lineWritten) WriteRequestLine();
        switch (name.Length)
        {
            case 4 when name.SequenceEqual("host"u8):
                if (_authority.End.Value == 0)
                {
                    WriteField(name, value);
                }
                else if (!System.Text.Ascii.EqualsIgnoreCase(value, Pseudo(_authority)))
                {
                    // RFC 9113 §8.3.1: a Host that names another entity than :authority makes the request malformed.
                    _hostMismatch = true;
                }
                return;
            case 6 when name.SequenceEqual("cookie"u8):
                if (_cookies.WrittenCount > 0) _cookies.Write("; "u8);
                _cookies.Write(value);
                return;
            case 14 when name.SequenceEqual("content-length"u8):
                if (!Protocols.Http1.ContentLength.TryParse(value, out long length) || (ContentLength >= 0 && ContentLength != length))
                {
                    _contentLengthInvalid = true;
                }
                ContentLength = length;
                WriteField(name, value);
                return;
            default:
                WriteField(name, value);
                return;
        }
    }

    /// <summary>
    /// Ends a request's header section: checks what needs the whole section, then writes the cookie, the framing and
    /// the blank line. Returns why the request is malformed, or <see cref="Http2RejectReason.None"/>;
    /// <paramref name="chunked"/> says whether the body follows as chunks.
    /// </summary>
    public Http2RejectReason CompleteRequest(bool endStream, out bool chunked)
    {
        chunked = false;
        Http2RejectReason reason = _validator.Complete();
        if (reason != Http2RejectReason.None) return reason;
        if (_hostMismatch) return Http2RejectReason.InvalidAuthority;
        // RFC 9113 §8.1.1: a content-length that disagrees with the DATA (none, when END_STREAM came with the head).
        if (_contentLengthInvalid || (endStream && ContentLength > 0)) return Http2RejectReason.InvalidHeaderValue;
        if (!_lineWritten) WriteRequestLine();
        if (_cookies.WrittenCount > 0) WriteField("cookie"u8, _cookies.WrittenSpan);
        if (!endStream && ContentLength < 0)
        {
            Write("transfer-encoding: chunked\r\n"u8);
            chunked = true;
        }
        Write("\r\n"u8);
        return Http2RejectReason.None;
    }

    /// <summary>Ends a trailer section: the blank line that ends a chunked body. Returns why the trailers are malformed, or none.</summary>
    public Http2RejectReason CompleteTrailers()
    {
        Http2RejectReason reason = _validator.Complete();
        if (reason == Http2RejectReason.None && _output is not null) Write("\r\n"u8);
        return reason;
    }

    private void WriteRequestLine()
    {
        _lineWritten = true;
        Write(Pseudo(_method));
        Write(" "u8);
        // CONNECT has no :path (RFC 9113 §8.5): its authority-form target is :authority. The forwarder refuses it.
        Write(_path.End.Value != 0 ? Pseudo(_path) : Pseudo(_authority));
        Write(" HTTP/1.1\r\n"u8);
        if (_authority.End.Value != 0) WriteField("host"u8, Pseudo(_authority));
    }

    private Range Keep(ReadOnlySpan<byte> value)
    {
        int start = _pseudo.WrittenCount;
        _pseudo.Write(value);
        // End is never 0 for a kept value, even an empty one: an offset of 1 marks "seen".
        _pseudo.Write("\0"u8);
        return new Range(start, _pseudo.WrittenCount);
    }

    private ReadOnlySpan<byte> Pseudo(Range range) =>
        range.End.Value == 0 ? default : _pseudo.WrittenSpan[range.Start.Value..(range.End.Value - 1)];

    private void WriteField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (_output is null) return;
        _output.Write(bytes);
        Written += bytes.Length;
    }
}

/// <summary>The HPACK handler: hands each decoded field to a translator, or drops it (a refused or ignored stream, whose block must still be decoded).</summary>
internal struct TranslatingFieldHandler(RequestTranslator? translator) : IHpackHeaderHandler
{
    public readonly void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, int staticIndex, bool neverIndexed) =>
        translator?.Add(name, value);
}
