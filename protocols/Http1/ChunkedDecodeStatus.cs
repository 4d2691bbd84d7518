namespace Proxy.Protocols.Http1;

/// <summary>What <see cref="ChunkedDecoder.Decode"/> found next.</summary>
public enum ChunkedDecodeStatus : byte
{
    /// <summary>Nothing more can be decoded from the bytes given; everything decodable was consumed.</summary>
    NeedMoreData,
    /// <summary>A run of chunk data (part or all of one chunk) is in the out parameter.</summary>
    Data,
    /// <summary>One trailer field line, without its CRLF, validated, is in the out parameter.</summary>
    TrailerField,
    /// <summary>The last chunk and the trailer section were consumed: the body is over.</summary>
    Done,
}
