using System.Text;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// The transfer codings of a message, read over all its Transfer-Encoding fields in order (RFC 9112 §6.1,
/// RFC 9110 §5.3: several fields are one comma-separated list). Refuses, while reading, what no two hops would
/// read alike: an element that is not a bare token (parameters, quotes, stray bytes) and chunked applied twice.
/// </summary>
internal struct TransferCodingList
{
    /// <summary>At least one Transfer-Encoding field was seen (even an empty one).</summary>
    public bool IsPresent { get; private set; }

    /// <summary>The last coding is chunked, so the body is framed by it.</summary>
    public bool ChunkedIsFinal { get; private set; }

    /// <summary>Some coding other than chunked was listed (gzip, deflate, an unknown token...).</summary>
    public bool HasOtherCoding { get; private set; }

    /// <summary>Transfer-Encoding fields were present but listed no coding at all.</summary>
    public readonly bool IsEmpty => IsPresent && !_chunkedSeen && !HasOtherCoding;

    private bool _chunkedSeen;

    /// <summary>Adds the codings of one Transfer-Encoding field value.</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
        IsPresent = true;
        foreach (ReadOnlySpan<byte> coding in new CommaList(value))
        {
            // transfer-coding = token *( OWS ";" OWS transfer-parameter ): we accept no parameters, so a token alone.
            if (coding.IndexOfAnyExcept(Token) >= 0) HttpRejectException.Throw(RejectReason.InvalidTransferEncoding);

            bool chunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            // RFC 9112 §7.1: a sender MUST NOT apply chunked more than once.
            if (chunked && _chunkedSeen) HttpRejectException.Throw(RejectReason.InvalidTransferEncoding);
            _chunkedSeen |= chunked;
            HasOtherCoding |= !chunked;
            ChunkedIsFinal = chunked;
        }
    }
}
