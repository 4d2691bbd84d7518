using System.Buffers;

namespace Proxy.Protocols.Http1;

/// <summary>
/// A contiguous view of a short run of bytes that may span segments: the bytes themselves when they lie in one
/// segment (the usual case, no copy), else a copy in the caller's scratch space, or in a pooled array when longer
/// (returned by <see cref="Dispose"/>). Lets line rules be written once, over spans, without allocating.
/// </summary>
internal ref struct ContiguousBytes
{
    private byte[]? _rented;

    /// <summary>A view of <paramref name="bytes"/>, copied into <paramref name="scratch"/> only if they span segments and fit.</summary>
    public ContiguousBytes(in ReadOnlySequence<byte> bytes, Span<byte> scratch)
    {
        if (bytes.IsSingleSegment)
        {
            Span = bytes.FirstSpan;
            return;
        }
        int length = checked((int)bytes.Length);
        Span<byte> copy = length <= scratch.Length ? scratch : (_rented = ArrayPool<byte>.Shared.Rent(length));
        bytes.CopyTo(copy);
        Span = copy[..length];
    }

    /// <summary>The bytes, contiguous.</summary>
    public ReadOnlySpan<byte> Span { get; }

    /// <summary>Returns the pooled array, if one was needed.</summary>
    public void Dispose()
    {
        if (_rented is null) return;
        ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
    }
}
