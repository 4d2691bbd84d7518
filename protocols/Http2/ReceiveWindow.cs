namespace Proxy.Protocols.Http2;

/// <summary>
/// The receive side of a flow-control window (RFC 9113 §5.2, §6.9), for a stream or for the connection: checks that the
/// peer stays within the credit it was given, and batches the credit given back, so that WINDOW_UPDATE goes out once
/// half of the target window has been consumed rather than after every DATA frame. A mutable struct (keep it in a
/// field, call by reference); not thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// Two numbers: the credit the peer still has (<see cref="Available"/>, what its send window is once it has seen all our
/// updates) and the credit released by the application but not yet announced (<see cref="Pending"/>). Their sum never
/// exceeds the target window, which is at most 2^31-1, so an update computed here can never push the peer's window
/// over the bound (the haproxy/haproxy#2719 failure, where the connection window was assumed to start at the stream
/// setting rather than 65535).
/// </para>
/// <para>
/// Flow: <see cref="TryReceive"/> for every DATA frame (its whole payload, padding included); <see cref="Release"/> when
/// the bytes have left our buffers (padding at once); <see cref="TryTakeUpdate"/> after releasing, and send a WINDOW_UPDATE
/// with the increment when it returns true. A window whose target is larger than its initial size (a connection window
/// opened wide) returns the difference from its first <see cref="TryTakeUpdate"/>.
/// </para>
/// </remarks>
public struct ReceiveWindow
{
    private long _available;
    private long _pending;
    private int _targetSize;

    /// <summary>
    /// A window the peer believes to be <paramref name="initialSize"/> (65535 for a connection, always; our
    /// SETTINGS_INITIAL_WINDOW_SIZE for a stream) that we keep open to <paramref name="targetSize"/> (initialSize..2^31-1).
    /// </summary>
    public ReceiveWindow(int initialSize, int targetSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSize, initialSize);
        _available = initialSize;
        _pending = (long)targetSize - initialSize;
        _targetSize = targetSize;
    }

    /// <summary>A window of <paramref name="size"/> bytes kept at that size.</summary>
    public ReceiveWindow(int size) : this(size, size) { }

    /// <summary>Bytes the peer may still send before it must wait for a WINDOW_UPDATE; negative after our initial window was lowered.</summary>
    public readonly long Available => _available;

    /// <summary>Bytes released but not yet given back to the peer.</summary>
    public readonly long Pending => _pending;

    /// <summary>The window we keep open.</summary>
    public readonly int TargetSize => _targetSize;

    /// <summary>The pending credit at which an update is worth sending: half the target, at least 1.</summary>
    public readonly int UpdateThreshold => Math.Max(1, _targetSize / 2);

    /// <summary>
    /// Accounts for a received DATA frame's <paramref name="flowControlledLength"/> (<see cref="DataFrame.FlowControlledLength"/>).
    /// False, leaving the window unchanged, when the peer has sent more than its credit: a FLOW_CONTROL_ERROR (RFC 9113
    /// §6.9.1), a stream error on a stream window and a connection error on the connection window.
    /// </summary>
    public bool TryReceive(int flowControlledLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(flowControlledLength);
        // An empty DATA frame costs nothing, so it is within any window, even a negative one.
        if (flowControlledLength > _available && flowControlledLength != 0) return false;
        _available -= flowControlledLength;
        return true;
    }

    /// <summary>
    /// As <see cref="TryReceive"/>, throwing <see cref="Http2RejectException"/> with <see cref="Http2RejectReason.WindowExceeded"/>
    /// (FLOW_CONTROL_ERROR) for <paramref name="streamId"/>: a stream error, or a connection error when it is 0.
    /// </summary>
    public void Receive(int flowControlledLength, int streamId)
    {
        if (!TryReceive(flowControlledLength)) Http2RejectException.ThrowForStream(Http2RejectReason.WindowExceeded, streamId);
    }

    /// <summary>Gives back <paramref name="bytes"/> the application has consumed (or padding, which it never sees).</summary>
    public void Release(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        _pending += bytes;
        // Released bytes were received first, so the sum stays within the target; clamp against misuse all the same.
        long room = _targetSize - _available;
        if (_pending > room) _pending = Math.Max(0, room);
    }

    /// <summary>
    /// True when the credit released since the last update reaches <see cref="UpdateThreshold"/>: send a WINDOW_UPDATE with
    /// <paramref name="increment"/>, which is already counted as given. False (increment 0) while it is not worth a frame.
    /// </summary>
    public bool TryTakeUpdate(out int increment) => TryTakeUpdateAbove(UpdateThreshold, out increment);

    /// <summary>
    /// True when any credit is pending, whatever the threshold: for a stream whose reader has stalled on an empty window,
    /// or before a long wait. Same contract as <see cref="TryTakeUpdate(out int)"/>.
    /// </summary>
    public bool TryTakeAnyUpdate(out int increment) => TryTakeUpdateAbove(1, out increment);

    /// <summary>
    /// Applies a change of our SETTINGS_INITIAL_WINDOW_SIZE, once the peer has acknowledged it, to a stream window
    /// (RFC 9113 §6.9.2): the peer's credit shifts by the difference and the target becomes the new size. Credit pending
    /// beyond the new target is dropped.
    /// </summary>
    public void ApplyInitialSizeChange(int oldInitialSize, int newInitialSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldInitialSize);
        ArgumentOutOfRangeException.ThrowIfNegative(newInitialSize);
        _available += (long)newInitialSize - oldInitialSize;
        _targetSize = newInitialSize;
        long room = _targetSize - _available;
        _pending = Math.Clamp(_pending, 0, Math.Max(0, room));
    }

    private bool TryTakeUpdateAbove(int threshold, out int increment)
    {
        if (_pending < threshold || _pending == 0)
        {
            increment = 0;
            return false;
        }
        increment = (int)_pending;
        _available += _pending;
        _pending = 0;
        return true;
    }
}
