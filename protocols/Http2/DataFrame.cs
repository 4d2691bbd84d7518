using System.Buffers;

namespace Proxy.Protocols.Http2;

/// <summary>
/// A parsed DATA frame (RFC 9113 §6.1), padding removed:
/// <code>
/// +---------------+
/// |Pad Length? (8)|
/// +---------------+-----------------------------------------------+
/// |                            Data (*)                         ...
/// +---------------------------------------------------------------+
/// |                           Padding (*)                       ...
/// +---------------------------------------------------------------+
/// </code>
/// <see cref="Data"/> is a slice of the payload the reader was given (no copy), valid until the caller advances its pipe.
/// </summary>
public readonly struct DataFrame
{
    /// <summary>Created by <see cref="FrameReader.ReadData"/>.</summary>
    internal DataFrame(int streamId, ReadOnlySequence<byte> data, int flowControlledLength, bool endStream)
    {
        StreamId = streamId;
        Data = data;
        FlowControlledLength = flowControlledLength;
        EndStream = endStream;
    }

    /// <summary>The stream, never 0.</summary>
    public int StreamId { get; }

    /// <summary>The content bytes, without pad length and padding.</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>
    /// What the frame costs in both flow-control windows: the whole payload, pad length and padding included
    /// (RFC 9113 §6.1). The padding part may be credited back at once.
    /// </summary>
    public int FlowControlledLength { get; }

    /// <summary>END_STREAM: the sender's last frame on this stream.</summary>
    public bool EndStream { get; }
}
