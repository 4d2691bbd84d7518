using System.Diagnostics.CodeAnalysis;

namespace Proxy.Protocols.Http2;

/// <summary>
/// An HTTP/2 protocol violation by the peer: thrown by the frame reader, the flow-control windows, the CONTINUATION
/// tracker and the HPACK decoder, caught once per connection. A <see cref="Http2ErrorScope.Connection"/> error ends
/// the connection with GOAWAY(<see cref="ErrorCode"/>); a <see cref="Http2ErrorScope.Stream"/> error resets
/// <see cref="StreamId"/> with RST_STREAM(<see cref="ErrorCode"/>) and the connection goes on. Never thrown for
/// "not enough bytes yet".
/// </summary>
/// <remarks>
/// Stream errors from the wire layer are rare shapes (a bad PRIORITY or a zero WINDOW_UPDATE on a stream); the
/// per-field checks of a request, which an attacker can trigger cheaply, return a reason instead of throwing
/// (<see cref="FieldSectionValidator"/>).
/// </remarks>
public sealed class Http2RejectException : Exception
{
    /// <summary>Creates the exception for <paramref name="reason"/> at <paramref name="scope"/> on <paramref name="streamId"/> (0 for the connection).</summary>
    public Http2RejectException(Http2RejectReason reason, Http2ErrorScope scope, int streamId) : base(reason.ToString())
    {
        Reason = reason;
        Scope = scope;
        StreamId = streamId;
    }

    /// <summary>Parameterless constructor required by the exception pattern; a connection error with reason <see cref="Http2RejectReason.None"/>.</summary>
    public Http2RejectException() : this(Http2RejectReason.None, Http2ErrorScope.Connection, 0) { }

    /// <summary>Creates the exception with a message; a connection error with reason <see cref="Http2RejectReason.None"/>.</summary>
    public Http2RejectException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and inner exception; a connection error with reason <see cref="Http2RejectReason.None"/>.</summary>
    public Http2RejectException(string message, Exception inner) : base(message, inner) { }

    /// <summary>What was wrong.</summary>
    public Http2RejectReason Reason { get; }

    /// <summary>Whether the connection or only <see cref="StreamId"/> must end.</summary>
    public Http2ErrorScope Scope { get; }

    /// <summary>The stream concerned: the stream to reset for a stream error; for a connection error, the frame's stream or 0.</summary>
    public int StreamId { get; }

    /// <summary>The error code to send, from <see cref="Http2RejectErrorCode.Of"/>.</summary>
    public Http2ErrorCode ErrorCode => Http2RejectErrorCode.Of(Reason);

    /// <summary>Throws a connection error from a small helper so callers stay small enough to inline.</summary>
    [DoesNotReturn]
    public static void ThrowConnectionError(Http2RejectReason reason, int streamId = 0) =>
        throw new Http2RejectException(reason, Http2ErrorScope.Connection, streamId);

    /// <summary>Throws a stream error for <paramref name="streamId"/> (which must not be 0).</summary>
    [DoesNotReturn]
    public static void ThrowStreamError(Http2RejectReason reason, int streamId) =>
        throw new Http2RejectException(reason, Http2ErrorScope.Stream, streamId);

    /// <summary>A stream error when <paramref name="streamId"/> is a stream, a connection error when it is 0.</summary>
    [DoesNotReturn]
    public static void ThrowForStream(Http2RejectReason reason, int streamId) =>
        throw new Http2RejectException(reason, streamId == 0 ? Http2ErrorScope.Connection : Http2ErrorScope.Stream, streamId);
}
