using System.Buffers;

namespace Proxy.Protocols.Http2;

/// <summary>
/// A parsed GOAWAY frame (RFC 9113 §6.8):
/// <code>
/// +-+-------------------------------------------------------------+
/// |R|                  Last-Stream-ID (31)                        |
/// +-+-------------------------------------------------------------+
/// |                      Error Code (32)                          |
/// +---------------------------------------------------------------+
/// |                  Additional Debug Data (*)                    |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
public readonly struct GoAwayFrame
{
    /// <summary>Bytes before the debug data.</summary>
    public const int MinPayloadSize = 8;

    /// <summary>Created by <see cref="FrameReader.ReadGoAway"/>.</summary>
    internal GoAwayFrame(int lastStreamId, Http2ErrorCode errorCode, ReadOnlySequence<byte> debugData)
    {
        LastStreamId = lastStreamId;
        ErrorCode = errorCode;
        DebugData = debugData;
    }

    /// <summary>The highest stream the sender may have processed; streams above it can be retried elsewhere.</summary>
    public int LastStreamId { get; }

    /// <summary>Why the connection is ending; may be a code <see cref="Http2ErrorCode"/> does not name.</summary>
    public Http2ErrorCode ErrorCode { get; }

    /// <summary>Diagnostic bytes (a slice of the payload, no copy); not to be trusted or shown as is.</summary>
    public ReadOnlySequence<byte> DebugData { get; }
}
