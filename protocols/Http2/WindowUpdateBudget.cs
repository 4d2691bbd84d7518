namespace Proxy.Protocols.Http2;

/// <summary>
/// How many WINDOW_UPDATE frames a peer may send: the flood defence for a frame that is legitimate in proportion to
/// the DATA it answers. Each DATA frame we send earns the peer <c>perDataFrame</c> WINDOW_UPDATEs (it may give the
/// credit back on the stream and on the connection, perhaps in pieces), each stream it opens earns one (some clients
/// enlarge a stream's window as they open it); every other WINDOW_UPDATE — thousands of tiny increments while nothing
/// flows, say — is drawn from a <see cref="FloodBudget"/> of a burst and a sustained rate. When <see cref="TryTake"/>
/// refuses, end the connection with <see cref="Http2RejectReason.WindowUpdateFlood"/> (ENHANCE_YOUR_CALM). A mutable
/// struct; not thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// Earned frames are spent first and are not capped: a peer only earns them by taking DATA, so what it may send
/// without limit stays in proportion to what it received, the bound Envoy's
/// max_inbound_window_update_frames_per_data_frame_sent keeps. A fast download whose client acknowledges every DATA
/// frame at both levels never touches the rate budget.
/// </remarks>
public struct WindowUpdateBudget
{
    private readonly int _perDataFrame;
    private FloodBudget _unearned;
    private long _earned;

    /// <summary>
    /// A budget earning <paramref name="perDataFrame"/> (at least 1) per DATA frame sent, with <paramref name="burst"/>
    /// and <paramref name="perSecond"/> more for timestamps in <paramref name="timestampFrequency"/> ticks per second
    /// (see <see cref="FloodBudget(int, int, long)"/>).
    /// </summary>
    public WindowUpdateBudget(int perDataFrame, int burst, int perSecond, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perDataFrame);
        _perDataFrame = perDataFrame;
        _unearned = new FloodBudget(burst, perSecond, timestampFrequency);
    }

    /// <summary>WINDOW_UPDATE frames earned and not yet received.</summary>
    public readonly long Earned => _earned;

    /// <summary>Frames refused so far: the counter behind the limit.</summary>
    public readonly long Refused => _unearned.Refused;

    /// <summary>Counts <paramref name="frames"/> non-empty DATA frames sent to the peer.</summary>
    public void OnDataFramesSent(int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        // Saturating: a connection cannot send 2^63 frames, but the sum must never wrap into a refusal.
        _earned = Math.Min(long.MaxValue / 2, _earned + (long)frames * _perDataFrame);
    }

    /// <summary>Counts a stream the peer opened.</summary>
    public void OnStreamOpened() => _earned = Math.Min(long.MaxValue / 2, _earned + 1);

    /// <summary>
    /// Counts one WINDOW_UPDATE received at <paramref name="timestamp"/> (non-decreasing across calls). True while
    /// within the budget; false, consuming nothing, when the peer has exceeded it.
    /// </summary>
    public bool TryTake(long timestamp)
    {
        if (_earned > 0)
        {
            _earned--;
            return true;
        }
        return _unearned.TryTake(timestamp);
    }
}
