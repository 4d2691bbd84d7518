using System.Buffers;

namespace Proxy.Protocols.Http2;

/// <summary>
/// A parsed HEADERS frame (RFC 9113 §6.2), padding and priority removed:
/// <code>
/// +---------------+
/// |Pad Length? (8)|
/// +-+-------------+-----------------------------------------------+
/// |E|                 Stream Dependency? (31)                     |
/// +-+-------------+-----------------------------------------------+
/// |  Weight? (8)  |
/// +-+-------------+-----------------------------------------------+
/// |                   Field Block Fragment (*)                  ...
/// +---------------------------------------------------------------+
/// |                           Padding (*)                       ...
/// +---------------------------------------------------------------+
/// </code>
/// The fragment is a slice of the payload the reader was given (no copy), valid until the caller advances its pipe.
/// </summary>
public readonly struct HeadersFrame
{
    /// <summary>Created by <see cref="FrameReader.ReadHeaders"/>.</summary>
    internal HeadersFrame(int streamId, ReadOnlySequence<byte> fragment, FrameFlags flags, PriorityFields priority)
    {
        StreamId = streamId;
        FieldBlockFragment = fragment;
        EndStream = (flags & FrameFlags.EndStream) != 0;
        EndHeaders = (flags & FrameFlags.EndHeaders) != 0;
        HasPriority = (flags & FrameFlags.Priority) != 0;
        Priority = priority;
    }

    /// <summary>The stream, never 0.</summary>
    public int StreamId { get; }

    /// <summary>The start (or all, with <see cref="EndHeaders"/>) of the encoded field block, for the HPACK decoder.</summary>
    public ReadOnlySequence<byte> FieldBlockFragment { get; }

    /// <summary>END_STREAM: no DATA follows (the block may still continue in CONTINUATION frames).</summary>
    public bool EndStream { get; }

    /// <summary>END_HEADERS: the field block is complete; otherwise CONTINUATION frames on the same stream must follow.</summary>
    public bool EndHeaders { get; }

    /// <summary>The PRIORITY flag was set and <see cref="Priority"/> holds the fields.</summary>
    public bool HasPriority { get; }

    /// <summary>The priority fields when <see cref="HasPriority"/>; otherwise default.</summary>
    public PriorityFields Priority { get; }

    /// <summary>
    /// <see cref="Http2RejectReason.PrioritySelfDependency"/> when the stream was made to depend on itself, a stream
    /// error of type PROTOCOL_ERROR (RFC 9113 §5.3.1); otherwise <see cref="Http2RejectReason.None"/>. Not thrown,
    /// because the field block must still go through the HPACK decoder to keep the connection's compression state
    /// (RFC 9113 §4.3): decode it, then reset the stream.
    /// </summary>
    public Http2RejectReason StreamError =>
        HasPriority && Priority.StreamDependency == StreamId ? Http2RejectReason.PrioritySelfDependency : Http2RejectReason.None;
}
