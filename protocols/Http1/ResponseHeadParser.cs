using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>Parses an HTTP/1.x response head from an upstream (RFC 9112 §4-§6).</summary>
public static class ResponseHeadParser
{
    /// <summary>
    /// Parses one response head from the start of <paramref name="input"/> into <paramref name="head"/> (reset first).
    /// <paramref name="requestMethod"/> decides framing: a response to HEAD, and any 1xx, 204 or 304, has no body.
    /// Returns false when incomplete; true with <paramref name="consumed"/> past the blank line; throws
    /// <see cref="HttpRejectException"/> when malformed.
    /// </summary>
    public static bool TryParse(in ReadOnlySequence<byte> input, ResponseHead head, KnownMethod requestMethod, out SequencePosition consumed)
        => throw new NotImplementedException();
}
