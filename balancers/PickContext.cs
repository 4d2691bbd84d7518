namespace Proxy.Balancers;

/// <summary>
/// What a balancer may know about the request it picks for, without knowing HTTP: an opaque key (for consistent
/// hashing and sticky sessions), extracted by the caller, and optionally the current time.
/// </summary>
public readonly ref struct PickContext
{
    /// <summary>A context carrying <paramref name="key"/> (empty when none).</summary>
    public PickContext(ReadOnlySpan<byte> key) => Key = key;

    /// <summary>
    /// A context carrying <paramref name="key"/> and <paramref name="timestamp"/>, the current timestamp of the
    /// cluster's clock (<see cref="TimeProvider.GetTimestamp"/>; Stopwatch ticks for the system clock), which the
    /// caller usually has already taken to time the request: peak_ewma then skips its own clock read.
    /// </summary>
    public PickContext(ReadOnlySpan<byte> key, long timestamp)
    {
        Key = key;
        Timestamp = timestamp;
    }

    /// <summary>The routing key bytes, or empty.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The current timestamp of the cluster's clock, or 0 when the caller did not supply one.</summary>
    public long Timestamp { get; }
}
