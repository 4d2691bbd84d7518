namespace Proxy.Protocols.Http2;

/// <summary>
/// Follows a field block from its HEADERS or PUSH_PROMISE frame through its CONTINUATION frames (RFC 9113 §4.3,
/// §6.10) and bounds it: the CONTINUATION flood defence. Fed every frame header as soon as it is read, so a block
/// over its limits is refused before the payload that crosses them is awaited, let alone decoded. A mutable struct,
/// one per connection; not thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// Counts whole payload lengths (pad length, padding and priority fields included), an upper bound of the encoded
/// field block that needs no payload. All violations are connection errors: the block's HPACK state cannot be kept.
/// </remarks>
public struct FieldBlockTracker
{
    private readonly int _maxBlockBytes;
    private readonly int _maxContinuationFrames;
    private long _blockBytes;

    /// <summary>
    /// A tracker that refuses a field block whose frames' payloads add up to more than <paramref name="maxBlockBytes"/>
    /// (<see cref="Http2RejectReason.FieldBlockTooLarge"/>) or that needs more than <paramref name="maxContinuationFrames"/>
    /// CONTINUATION frames (<see cref="Http2RejectReason.TooManyContinuationFrames"/>), both ENHANCE_YOUR_CALM.
    /// </summary>
    public FieldBlockTracker(int maxBlockBytes, int maxContinuationFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBlockBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxContinuationFrames);
        _maxBlockBytes = maxBlockBytes;
        _maxContinuationFrames = maxContinuationFrames;
    }

    /// <summary>True between a HEADERS or PUSH_PROMISE without END_HEADERS and the CONTINUATION that ends the block.</summary>
    public readonly bool IsOpen => StreamId != 0;

    /// <summary>The stream whose block is open, or 0.</summary>
    public int StreamId { readonly get; private set; }

    /// <summary>Payload bytes of the current (or last) block's frames so far.</summary>
    public readonly long BlockBytes => _blockBytes;

    /// <summary>CONTINUATION frames in the current (or last) block so far.</summary>
    public int ContinuationFrames { readonly get; private set; }

    /// <summary>
    /// Takes note of the next frame's header. Throws <see cref="Http2RejectException"/> (connection error) when the frame
    /// may not come now: anything but CONTINUATION on the open block's stream while a block is open
    /// (<see cref="Http2RejectReason.ContinuationExpected"/>), CONTINUATION with no block open
    /// (<see cref="Http2RejectReason.UnexpectedContinuation"/>), or a frame that takes the block over a limit.
    /// </summary>
    public void OnFrameHeader(in FrameHeader header)
    {
        if (IsOpen)
        {
            // RFC 9113 §6.10: "any other type or a frame on a different stream MUST be treated as a connection error".
            if (header.Type != FrameType.Continuation || header.StreamId != StreamId)
                Http2RejectException.ThrowConnectionError(Http2RejectReason.ContinuationExpected, header.StreamId);
            if (++ContinuationFrames > _maxContinuationFrames)
                Http2RejectException.ThrowConnectionError(Http2RejectReason.TooManyContinuationFrames, header.StreamId);
            Count(in header);
            if (header.HasFlag(FrameFlags.EndHeaders)) StreamId = 0;
            return;
        }

        switch (header.Type)
        {
            case FrameType.Headers or FrameType.PushPromise:
                _blockBytes = 0;
                ContinuationFrames = 0;
                Count(in header);
                // Stream 0 is left to the frame reader, which refuses it; it must not open a block here.
                if (!header.HasFlag(FrameFlags.EndHeaders) && header.StreamId != 0) StreamId = header.StreamId;
                break;
            case FrameType.Continuation:
                Http2RejectException.ThrowConnectionError(Http2RejectReason.UnexpectedContinuation, header.StreamId);
                break;
            default:
                break;
        }
    }

    /// <summary>Forgets any open block (a new connection).</summary>
    public void Reset()
    {
        StreamId = 0;
        _blockBytes = 0;
        ContinuationFrames = 0;
    }

    private void Count(in FrameHeader header)
    {
        _blockBytes += header.Length;
        if (_blockBytes > _maxBlockBytes) Http2RejectException.ThrowConnectionError(Http2RejectReason.FieldBlockTooLarge, header.StreamId);
    }
}
