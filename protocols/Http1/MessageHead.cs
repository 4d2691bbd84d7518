namespace Proxy.Protocols.Http1;

/// <summary>
/// What request and response heads share: the head's raw bytes copied into a buffer owned by this object
/// (allocated once, reused for every message), the header fields as offsets into it, and the framing the
/// parser decided. Reset and reuse; not thread-safe (one message at a time).
/// </summary>
public abstract class MessageHead
{
    private readonly byte[] _buffer;
    private readonly HeaderField[] _fields;

    /// <summary>Allocates the buffer and field table once, sized by <paramref name="limits"/>.</summary>
    protected MessageHead(HeadLimits limits)
    {
        Limits = limits;
        _buffer = new byte[limits.MaxHeadBytes];
        _fields = new HeaderField[limits.MaxHeaderCount];
    }

    /// <summary>The limits this head was sized for and is parsed against.</summary>
    public HeadLimits Limits { get; }

    /// <summary>The raw head as received: start line, fields, blank line.</summary>
    public ReadOnlySpan<byte> Raw => _buffer.AsSpan(0, RawLength);

    /// <summary>Number of bytes of <see cref="Raw"/>.</summary>
    public int RawLength { get; internal set; }

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public HttpVersion Version { get; internal set; }

    /// <summary>The header fields, in the order received.</summary>
    public ReadOnlySpan<HeaderField> Headers => _fields.AsSpan(0, HeaderCount);

    /// <summary>Number of header fields.</summary>
    public int HeaderCount { get; internal set; }

    /// <summary>How the body that follows the head is framed.</summary>
    public BodyFraming Framing { get; internal set; }

    /// <summary>The body length when <see cref="Framing"/> is <see cref="BodyFraming.ContentLength"/>; otherwise -1.</summary>
    public long ContentLength { get; internal set; } = -1;

    /// <summary>
    /// Whether the sender lets the connection be reused after this message: HTTP/1.1 unless
    /// "Connection: close", HTTP/1.0 only with "Connection: keep-alive".
    /// </summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>The name of <paramref name="field"/>, as received.</summary>
    public ReadOnlySpan<byte> NameOf(in HeaderField field) => _buffer.AsSpan(field.NameStart, field.NameLength);

    /// <summary>The value of <paramref name="field"/>, without surrounding whitespace.</summary>
    public ReadOnlySpan<byte> ValueOf(in HeaderField field) => _buffer.AsSpan(field.ValueStart, field.ValueLength);

    /// <summary>The value of the first field recognised as <paramref name="header"/>; false if none.</summary>
    public bool TryGetValue(KnownHeader header, out ReadOnlySpan<byte> value)
    {
        foreach (ref readonly HeaderField field in Headers)
        {
            if (field.Known == header)
            {
                value = ValueOf(field);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Forgets the previous message so the object can hold the next one.</summary>
    public virtual void Reset()
    {
        RawLength = 0;
        Version = HttpVersion.Unknown;
        HeaderCount = 0;
        Framing = BodyFraming.None;
        ContentLength = -1;
        KeepAlive = false;
        IsPartial = false;
        LeadingEmptyLineBytes = 0;
    }

    /// <summary>Writable view of the whole buffer, for the parser that copies the head in.</summary>
    internal Span<byte> Buffer => _buffer;

    /// <summary>Writable field table, for the parser.</summary>
    internal Span<HeaderField> Fields => _fields;

    /// <summary>
    /// True after a parse returned false: <see cref="Raw"/> holds the complete lines read so far, and the next parse
    /// continues after them if its input still starts with the same bytes (see <see cref="HeadLineReader"/>).
    /// </summary>
    internal bool IsPartial { get; set; }

    /// <summary>Bytes of empty lines skipped before the start line (RFC 9112 §2.2), which are not part of <see cref="Raw"/>.</summary>
    internal int LeadingEmptyLineBytes { get; set; }

    /// <summary>A slice of the buffer by offset and length.</summary>
    protected ReadOnlySpan<byte> Slice(int start, int length) => _buffer.AsSpan(start, length);
}
