namespace Proxy.Protocols.Http2;

/// <summary>How far an HTTP/2 error reaches (RFC 9113 §5.4): the whole connection or one stream.</summary>
public enum Http2ErrorScope : byte
{
    /// <summary>Connection error (RFC 9113 §5.4.1): send GOAWAY with the error code and close the connection.</summary>
    Connection,
    /// <summary>Stream error (RFC 9113 §5.4.2): send RST_STREAM with the error code; the connection goes on.</summary>
    Stream,
}
