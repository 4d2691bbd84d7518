using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Parses an HTTP/1.1 request head (RFC 9112 §2-§6) from the bytes of a pipe, strictly: anything ambiguous is
/// rejected rather than guessed at, because a proxy that reads a head differently from its upstream is a
/// request-smuggling hole.
/// </summary>
public static class RequestHeadParser
{
    /// <summary>
    /// Parses one request head from the start of <paramref name="input"/> into <paramref name="head"/> (reset first).
    /// Returns false when the head is not complete yet (nothing consumed: call again with more bytes).
    /// Returns true with <paramref name="consumed"/> just past the blank line that ends the head.
    /// Throws <see cref="HttpRejectException"/> for malformed input or a crossed limit, as soon as the bytes seen
    /// prove it, even when the head is still incomplete.
    /// </summary>
    public static bool TryParse(in ReadOnlySequence<byte> input, RequestHead head, out SequencePosition consumed)
        => throw new NotImplementedException();
}
