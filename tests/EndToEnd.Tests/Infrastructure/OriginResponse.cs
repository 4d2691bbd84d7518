namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>How a <see cref="TestOrigin"/> frames a response body.</summary>
public enum OriginFraming { ContentLength, Chunked, CloseDelimited, NoBody }

/// <summary>What a <see cref="TestOrigin"/> answers to one request.</summary>
public sealed record OriginResponse
{
    public int Status { get; init; } = 200;
    public string Reason { get; init; } = "OK";
    public string Version { get; init; } = "HTTP/1.1";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public byte[] Body { get; init; } = [];
    /// <summary>When above 0, a generated body of this many bytes is streamed instead of <see cref="Body"/>.</summary>
    public long GeneratedBodyLength { get; init; }
    public OriginFraming Framing { get; init; } = OriginFraming.ContentLength;
    /// <summary>Trailer fields written after the last chunk; <see cref="OriginFraming.Chunked"/> only.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Trailers { get; init; } = [];
    /// <summary>Wait this long before answering.</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Never answer (and keep the connection open).</summary>
    public bool Silent { get; init; }
    /// <summary>Close the connection instead of answering.</summary>
    public bool CloseWithoutAnswer { get; init; }
    /// <summary>Send the head and this many body bytes, then close (a truncated response).</summary>
    public long TruncateBodyAfter { get; init; } = -1;
    /// <summary>Interim responses (e.g. "HTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n") written before the final one.</summary>
    public string? InterimResponses { get; init; }
    /// <summary>Close the connection after answering.</summary>
    public bool Close { get; init; }
    /// <summary>
    /// Exact bytes to answer with instead of a generated response (for malformed or ambiguous responses), written
    /// in pieces with <see cref="PieceDelay"/> between them; <see cref="Close"/> still decides whether the
    /// connection ends afterwards. Everything else but <see cref="Delay"/> is ignored.
    /// </summary>
    public IReadOnlyList<byte[]>? RawPieces { get; init; }
    /// <summary>Pause between two of <see cref="RawPieces"/>.</summary>
    public TimeSpan PieceDelay { get; init; }

    public static OriginResponse Text(string text, int status = 200) =>
        new() { Status = status, Body = System.Text.Encoding.UTF8.GetBytes(text), Headers = [new("Content-Type", "text/plain")] };

    /// <summary>A response of exact bytes (Latin-1 text), one piece per argument.</summary>
    public static OriginResponse Raw(params string[] pieces) =>
        new() { RawPieces = pieces.Select(System.Text.Encoding.Latin1.GetBytes).ToArray() };

    /// <summary>The byte at <paramref name="offset"/> of a generated body: a pattern the receiver can verify.</summary>
    public static byte GeneratedByte(long offset) => (byte)('a' + (offset % 26));
}
