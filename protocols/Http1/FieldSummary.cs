using System.Text;

namespace Proxy.Protocols.Http1;

/// <summary>
/// What the Host, framing and connection rules need from a head's fields, gathered in one pass once the head is
/// complete. Malformed Content-Length and Transfer-Encoding values are refused during the pass.
/// </summary>
internal struct FieldSummary
{
    public int HostCount;
    public int HostIndex;
    public bool HasContentLength;
    public long ContentLength;
    public TransferCodingList TransferCodings;
    public bool ConnectionClose;
    public bool ConnectionKeepAlive;
    public bool ExpectContinue;
    public bool HasUpgrade;

    /// <summary>Reads every field of <paramref name="head"/> once; marks the fields named by Connection as hop-by-hop.</summary>
    public static FieldSummary Gather(MessageHead head)
    {
        var summary = new FieldSummary { HostIndex = -1, ContentLength = -1 };
        ReadOnlySpan<HeaderField> fields = head.Headers;
        for (int i = 0; i < fields.Length; i++)
        {
            switch (fields[i].Known)
            {
                case KnownHeader.Host:
                    if (summary.HostCount == 0) summary.HostIndex = i;
                    summary.HostCount++;
                    break;
                case KnownHeader.ContentLength:
                    summary.AddContentLength(head.ValueOf(fields[i]));
                    break;
                case KnownHeader.TransferEncoding:
                    summary.TransferCodings.Add(head.ValueOf(fields[i]));
                    break;
                case KnownHeader.Connection:
                    ConnectionOptions.Apply(head, head.ValueOf(fields[i]), ref summary);
                    break;
                case KnownHeader.Expect:
                    summary.ExpectContinue |= Ascii.EqualsIgnoreCase(head.ValueOf(fields[i]), "100-continue"u8);
                    break;
                case KnownHeader.Upgrade:
                    summary.HasUpgrade = true;
                    break;
            }
        }
        return summary;
    }

    /// <summary>
    /// RFC 9112 §9.3: HTTP/1.1 keeps the connection unless "close"; HTTP/1.0 only with "keep-alive" and no "close".
    /// </summary>
    public readonly bool KeepAliveFor(HttpVersion version) =>
        !ConnectionClose && (version == HttpVersion.Http11 || ConnectionKeepAlive);

    private void AddContentLength(ReadOnlySpan<byte> value)
    {
        RejectReason problem = Http1.ContentLength.Parse(value, out long length);
        if (problem != RejectReason.None) HttpRejectException.Throw(problem);
        // RFC 9112 §6.3 rule 5: several Content-Length fields that differ make the framing unknowable.
        if (HasContentLength && length != ContentLength) HttpRejectException.Throw(RejectReason.ConflictingContentLength);
        HasContentLength = true;
        ContentLength = length;
    }
}
