namespace Proxy.Protocols.Http1;

/// <summary>The one place where a <see cref="RejectReason"/> becomes a status code for the client.</summary>
public static class RejectStatus
{
    /// <summary>The status to answer a client whose request was rejected for <paramref name="reason"/>.</summary>
    public static int Of(RejectReason reason) => reason switch
    {
        RejectReason.RequestLineTooLong => 414,
        RejectReason.HeadTooLarge or RejectReason.TooManyHeaders => 431,
        RejectReason.UnsupportedVersion => 505,
        RejectReason.UnsupportedTransferCoding => 501,
        RejectReason.BodyTooLarge => 413,
        RejectReason.MethodNotAllowed => 405,
        _ => 400,
    };
}
