using System.Diagnostics.CodeAnalysis;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Malformed input: thrown by the parsers and decoders, caught once per connection, turned into a short
/// response (<see cref="RejectStatus.Of"/>) and a closed connection. Never thrown for "not enough bytes yet".
/// </summary>
public sealed class HttpRejectException : Exception
{
    /// <summary>Creates the exception for <paramref name="reason"/>.</summary>
    public HttpRejectException(RejectReason reason) : base(reason.ToString()) => Reason = reason;

    /// <summary>Parameterless constructor required by the exception pattern; reason is <see cref="RejectReason.None"/>.</summary>
    public HttpRejectException() : this(RejectReason.None) { }

    /// <summary>Creates the exception with a message; reason is <see cref="RejectReason.None"/>.</summary>
    public HttpRejectException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and inner exception; reason is <see cref="RejectReason.None"/>.</summary>
    public HttpRejectException(string message, Exception inner) : base(message, inner) { }

    /// <summary>What was wrong.</summary>
    public RejectReason Reason { get; }

    /// <summary>Throws from a small helper so callers stay small enough to inline.</summary>
    [DoesNotReturn]
    public static void Throw(RejectReason reason) => throw new HttpRejectException(reason);
}
