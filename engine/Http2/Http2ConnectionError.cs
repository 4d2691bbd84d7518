using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

/// <summary>
/// A connection error found by the engine's stream state rules (RFC 9113 §5.1) rather than by the protocol library:
/// a frame on an idle stream, a client-initiated push, a stream identifier that goes backwards. Ends the connection
/// with GOAWAY(<see cref="Code"/>).
/// </summary>
internal sealed class Http2ConnectionError : Exception
{
    public Http2ConnectionError() : this(Http2ErrorCode.ProtocolError, "protocol error") { }
    public Http2ConnectionError(string message) : this(Http2ErrorCode.ProtocolError, message) { }
    public Http2ConnectionError(string message, Exception inner) : base(message, inner) => Code = Http2ErrorCode.ProtocolError;
    public Http2ConnectionError(Http2ErrorCode code, string message) : base(message) => Code = code;

    public Http2ErrorCode Code { get; }
}
