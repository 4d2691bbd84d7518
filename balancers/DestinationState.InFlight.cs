namespace Proxy.Balancers;

// Where least_conn reads the in-flight count: the destination copies it into the seat of the InFlightTable that
// adopted it last (if any) after every change. The count itself stays here, the only counter that is ever
// incremented or decremented, so it survives tables and reloads; a table holds a copy.
public sealed partial class DestinationState
{
    private InFlightTable.Seat? _inFlightSeat;

    /// <summary>The seat this destination's count is copied into, or null when no least_conn table has adopted it.</summary>
    internal InFlightTable.Seat? InFlightSeat => Volatile.Read(ref _inFlightSeat);

    /// <summary>Makes <paramref name="seat"/> the one the count is copied into from now on; returns the one it replaces. A full fence.</summary>
    internal InFlightTable.Seat? TakeInFlightSeat(InFlightTable.Seat seat) => Interlocked.Exchange(ref _inFlightSeat, seat);

    // After the count's interlocked change, so the seat read cannot come before it: a table adopting this destination
    // meanwhile either is seen here, or sees the new count when it copies it after taking the seat.
    private void PublishInFlight() => Volatile.Read(ref _inFlightSeat)?.Publish(this);
}
