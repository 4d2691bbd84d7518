namespace Proxy.Protocols.Http1;

/// <summary>
/// A parsed response head (see <see cref="MessageHead"/>). Filled by <see cref="ResponseHeadParser"/>, which is
/// told the request's method so that <see cref="MessageHead.Framing"/> is right for HEAD, 1xx, 204 and 304.
/// </summary>
public sealed class ResponseHead : MessageHead
{
    private int _reasonStart, _reasonLength;

    /// <summary>Allocates a head sized for <paramref name="limits"/>.</summary>
    public ResponseHead(HeadLimits limits) : base(limits) { }

    /// <summary>The three-digit status code.</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The reason phrase, possibly empty.</summary>
    public ReadOnlySpan<byte> Reason => Slice(_reasonStart, _reasonLength);

    /// <summary>1xx: an interim response, followed by another head.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200;

    internal void SetReason(int start, int length) { _reasonStart = start; _reasonLength = length; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        StatusCode = 0;
        _reasonStart = _reasonLength = 0;
    }
}
