using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Resumable decoder of the chunked transfer coding (RFC 9112 §7.1). Feed it whatever bytes have arrived;
/// it hands back chunk data and trailer fields as slices of those bytes (no copy) and remembers where it
/// was between calls. A mutable struct: keep it in a field and call it by reference.
/// </summary>
public struct ChunkedDecoder
{
    /// <summary>A decoder at the start of a chunked body.</summary>
    public ChunkedDecoder(ChunkedLimits limits) => throw new NotImplementedException();

    /// <summary>True once <see cref="ChunkedDecodeStatus.Done"/> was returned.</summary>
    public readonly bool IsFinished => throw new NotImplementedException();

    /// <summary>
    /// Decodes the next item from <paramref name="reader"/>, advancing it past what was used. Data and trailer
    /// slices in <paramref name="data"/> stay valid until the caller advances its pipe. Throws
    /// <see cref="HttpRejectException"/> on malformed input.
    /// </summary>
    public ChunkedDecodeStatus Decode(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
        => throw new NotImplementedException();

    /// <summary>Back to the start of a new body with the same limits.</summary>
    public void Reset() => throw new NotImplementedException();
}
