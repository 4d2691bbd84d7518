namespace Proxy.Protocols.Http1;

/// <summary>
/// A parsed request head (see <see cref="MessageHead"/>). Filled by <see cref="RequestHeadParser"/>;
/// every span points into the head's own buffer and stays valid until <see cref="Reset"/>.
/// </summary>
public sealed class RequestHead : MessageHead
{
    private int _methodLength;
    private int _targetStart, _targetLength;
    private int _pathStart, _pathLength;
    private int _queryStart, _queryLength;
    private int _hostStart, _hostLength;

    /// <summary>Allocates a head sized for <paramref name="limits"/>.</summary>
    public RequestHead(HeadLimits limits) : base(limits) { }

    /// <summary>The recognised method, or <see cref="KnownMethod.Other"/>.</summary>
    public KnownMethod Method { get; internal set; }

    /// <summary>The method token as received.</summary>
    public ReadOnlySpan<byte> MethodName => Slice(0, _methodLength);

    /// <summary>The request target exactly as received (any of the four forms).</summary>
    public ReadOnlySpan<byte> Target => Slice(_targetStart, _targetLength);

    /// <summary>
    /// The path to forward, starting with '/' (or "*" for asterisk-form): for origin-form the target up to '?',
    /// for absolute-form the path part after the authority ("/" when empty). Empty for CONNECT's authority-form.
    /// </summary>
    public ReadOnlySpan<byte> Path => Slice(_pathStart, _pathLength);

    /// <summary>The query including its leading '?', or empty.</summary>
    public ReadOnlySpan<byte> Query => Slice(_queryStart, _queryLength);

    /// <summary>
    /// The authority the request is for: from the target when it is in absolute-form (RFC 9112 §3.2.2, the Host
    /// field is then ignored), else the Host field's value. Empty only for an HTTP/1.0 request without Host.
    /// </summary>
    public ReadOnlySpan<byte> Host => Slice(_hostStart, _hostLength);

    /// <summary>True when <see cref="Host"/> came from an absolute-form target.</summary>
    public bool HostFromTarget { get; internal set; }

    /// <summary>The request carries "Expect: 100-continue".</summary>
    public bool ExpectContinue { get; internal set; }

    /// <summary>The request carries an Upgrade field (not supported yet: forwarded without it).</summary>
    public bool HasUpgrade { get; internal set; }

    internal void SetMethod(int length, KnownMethod method) { _methodLength = length; Method = method; }
    internal void SetTarget(int start, int length) { _targetStart = start; _targetLength = length; }
    internal void SetPath(int start, int length) { _pathStart = start; _pathLength = length; }
    internal void SetQuery(int start, int length) { _queryStart = start; _queryLength = length; }
    internal void SetHost(int start, int length) { _hostStart = start; _hostLength = length; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        Method = KnownMethod.Other;
        _methodLength = _targetStart = _targetLength = _pathStart = _pathLength = 0;
        _queryStart = _queryLength = _hostStart = _hostLength = 0;
        HostFromTarget = ExpectContinue = HasUpgrade = false;
    }
}
