namespace Proxy.Protocols.Http2;

/// <summary>
/// How many of one kind of event a peer may cause: a burst at once and a sustained rate after it, over timestamps the
/// caller supplies (so tests need no clock). The building block of the HTTP/2 flood defences: one per connection and
/// per kind of frame that costs work without making progress — streams the client resets before their response is
/// done (rapid reset, CVE-2023-44487), SETTINGS and PING (each demands an answer), PRIORITY, empty DATA without
/// END_STREAM, WINDOW_UPDATE beyond what the DATA sent earns (<see cref="WindowUpdateBudget"/>). When
/// <see cref="TryTake"/> refuses, end the connection with the matching <see cref="Http2RejectReason"/>
/// (ENHANCE_YOUR_CALM). A mutable struct; not thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// The generic cell rate algorithm: a theoretical arrival time advances by one interval per event accepted and may
/// run ahead of the clock by at most <c>burst - 1</c> intervals. Integer arithmetic only; the same result however the
/// events are spread, and a peer that stays under the rate is never refused.
/// </remarks>
public struct FloodBudget
{
    private readonly long _interval;
    private readonly long _tolerance;
    private long _theoreticalArrival;
    private bool _started;

    /// <summary>
    /// A budget of <paramref name="burst"/> events at once (at least 1) and <paramref name="perSecond"/> on average
    /// (at least 1; the interval is rounded down to whole ticks), for timestamps counted in
    /// <paramref name="timestampFrequency"/> ticks per second (e.g.
    /// <see cref="System.Diagnostics.Stopwatch.Frequency"/>, or <see cref="TimeProvider.TimestampFrequency"/>).
    /// </summary>
    public FloodBudget(int burst, int perSecond, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        _interval = Math.Max(1, timestampFrequency / perSecond);
        _tolerance = (burst - 1) * _interval;
    }

    /// <summary>Events accepted so far.</summary>
    public long Taken { readonly get; private set; }

    /// <summary>Events refused so far: the counter behind the limit.</summary>
    public long Refused { readonly get; private set; }

    /// <summary>
    /// Counts one event at <paramref name="timestamp"/> (non-decreasing across calls). True while within the budget;
    /// false, without consuming anything, when the peer has exceeded it.
    /// </summary>
    public bool TryTake(long timestamp)
    {
        if (!_started)
        {
            _theoreticalArrival = timestamp;
            _started = true;
        }
        long arrival = Math.Max(_theoreticalArrival, timestamp);
        if (arrival - timestamp > _tolerance)
        {
            Refused++;
            return false;
        }
        _theoreticalArrival = arrival + _interval;
        Taken++;
        return true;
    }
}
