namespace Proxy.Protocols.Http2;

/// <summary>
/// A flow-control window (RFC 9113 §5.2, §6.9) in 64-bit arithmetic: the credit one side has to send DATA on a stream
/// or on the connection. Typically the send side: the peer's WINDOW_UPDATE frames increase it, our DATA consumes it,
/// and a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE shifts every open stream's window, possibly below zero
/// (RFC 9113 §6.9.2). The receive side, which also decides when to send WINDOW_UPDATE, is <see cref="ReceiveWindow"/>.
/// A mutable struct (keep it in a field, call by reference); not thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// The window is kept as a <see cref="long"/> so that no sequence of legal operations can wrap around: the value stays
/// within -2^32 .. 2^31-1. The upper bound 2^31-1 is enforced on every increase. The Try methods leave the window
/// unchanged on false; the throwing methods raise the error RFC 9113 prescribes, with the scope it prescribes.
/// </remarks>
public struct FlowWindow
{
    /// <summary>The largest window RFC 9113 §6.9.1 allows: 2^31-1.</summary>
    public const int MaxSize = int.MaxValue;

    private long _size;

    /// <summary>A window of <paramref name="initialSize"/> bytes (0..2^31-1): 65535 for a new connection, the peer's SETTINGS_INITIAL_WINDOW_SIZE for a new stream.</summary>
    public FlowWindow(int initialSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialSize);
        _size = initialSize;
    }

    /// <summary>The window, which may be negative after SETTINGS_INITIAL_WINDOW_SIZE was lowered (RFC 9113 §6.9.2).</summary>
    public readonly long Size => _size;

    /// <summary>Bytes that may be sent now: the window, or 0 when it is zero or negative.</summary>
    public readonly int Available => _size <= 0 ? 0 : (int)_size;

    /// <summary>
    /// Takes <paramref name="bytes"/> (0..2^31-1) from the window. False, leaving it unchanged, when the window holds
    /// fewer: a sender must wait; a receiver tracking the peer's credit has a FLOW_CONTROL_ERROR (RFC 9113 §6.9.1).
    /// Taking 0 always succeeds, even from a negative window.
    /// </summary>
    public bool TryConsume(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        // An empty DATA frame (END_STREAM alone) costs nothing and may be sent whatever the window (RFC 9113 §6.9).
        if (bytes > _size && bytes != 0) return false;
        _size -= bytes;
        return true;
    }

    /// <summary>
    /// Adds a WINDOW_UPDATE increment (1..2^31-1, as <see cref="FrameReader.ReadWindowUpdate"/> returns). False, leaving the
    /// window unchanged, when the result would exceed 2^31-1 (RFC 9113 §6.9.1).
    /// </summary>
    public bool TryIncrease(int increment)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(increment);
        long next = _size + increment;
        if (next > MaxSize) return false;
        _size = next;
        return true;
    }

    /// <summary>
    /// Adds a WINDOW_UPDATE increment received on <paramref name="streamId"/> (0 for the connection window). Throws
    /// <see cref="Http2RejectException"/> with <see cref="Http2RejectReason.WindowOverflow"/> (FLOW_CONTROL_ERROR) when the
    /// window would exceed 2^31-1: a stream error for a stream window, a connection error for the connection window
    /// (RFC 9113 §6.9.1).
    /// </summary>
    public void Increase(int increment, int streamId)
    {
        if (!TryIncrease(increment)) Http2RejectException.ThrowForStream(Http2RejectReason.WindowOverflow, streamId);
    }

    /// <summary>
    /// Shifts a stream window by the change of SETTINGS_INITIAL_WINDOW_SIZE from <paramref name="oldInitialSize"/> to
    /// <paramref name="newInitialSize"/> (both 0..2^31-1), as RFC 9113 §6.9.2 requires for every open stream; the result may
    /// be negative. False, leaving the window unchanged, when it would exceed 2^31-1.
    /// </summary>
    public bool TryApplyInitialSizeChange(int oldInitialSize, int newInitialSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldInitialSize);
        ArgumentOutOfRangeException.ThrowIfNegative(newInitialSize);
        long next = _size + ((long)newInitialSize - oldInitialSize);
        if (next > MaxSize) return false;
        _size = next;
        return true;
    }

    /// <summary>
    /// As <see cref="TryApplyInitialSizeChange"/>, throwing <see cref="Http2RejectException"/> with
    /// <see cref="Http2RejectReason.WindowOverflow"/> as a connection error (FLOW_CONTROL_ERROR): RFC 9113 §6.9.2 makes a
    /// settings change that pushes any window over 2^31-1 a connection error.
    /// </summary>
    public void ApplyInitialSizeChange(int oldInitialSize, int newInitialSize)
    {
        if (!TryApplyInitialSizeChange(oldInitialSize, newInitialSize)) Http2RejectException.ThrowConnectionError(Http2RejectReason.WindowOverflow);
    }
}
