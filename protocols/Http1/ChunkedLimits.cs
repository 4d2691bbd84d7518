namespace Proxy.Protocols.Http1;

/// <summary>Limits for <see cref="ChunkedDecoder"/>.</summary>
/// <param name="MaxChunkLineBytes">A chunk-size line including extensions and CRLF.</param>
/// <param name="MaxTrailerBytes">The trailer section: every trailer field line with its CRLF (the final empty line is not counted).</param>
public readonly record struct ChunkedLimits(int MaxChunkLineBytes, int MaxTrailerBytes)
{
    /// <summary>4 KiB chunk lines, 16 KiB of trailers.</summary>
    public static ChunkedLimits Default { get; } = new(4096, 16 * 1024);
}
