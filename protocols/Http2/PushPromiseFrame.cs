using System.Buffers;

namespace Proxy.Protocols.Http2;

/// <summary>
/// A parsed PUSH_PROMISE frame (RFC 9113 §6.6), padding removed. A server must refuse it from a client
/// (connection error PROTOCOL_ERROR, RFC 9113 §8.4) and a client that disabled push must too; both are the engine's
/// rules. Parsed so that the frame is validated and, when it is accepted, its field block reaches the HPACK decoder.
/// <code>
/// +---------------+
/// |Pad Length? (8)|
/// +-+-------------+-----------------------------------------------+
/// |R|                  Promised Stream ID (31)                    |
/// +-+-----------------------------+-------------------------------+
/// |                   Field Block Fragment (*)                  ...
/// +---------------------------------------------------------------+
/// |                           Padding (*)                       ...
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
public readonly struct PushPromiseFrame
{
    /// <summary>Created by <see cref="FrameReader.ReadPushPromise"/>.</summary>
    internal PushPromiseFrame(int streamId, int promisedStreamId, ReadOnlySequence<byte> fragment, bool endHeaders)
    {
        StreamId = streamId;
        PromisedStreamId = promisedStreamId;
        FieldBlockFragment = fragment;
        EndHeaders = endHeaders;
    }

    /// <summary>The stream the promise is associated with, never 0.</summary>
    public int StreamId { get; }

    /// <summary>The stream the server reserves, reserved bit cleared.</summary>
    public int PromisedStreamId { get; }

    /// <summary>The start (or all, with <see cref="EndHeaders"/>) of the encoded request field block.</summary>
    public ReadOnlySequence<byte> FieldBlockFragment { get; }

    /// <summary>END_HEADERS: the field block is complete.</summary>
    public bool EndHeaders { get; }
}
