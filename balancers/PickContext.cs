namespace Proxy.Balancers;

/// <summary>
/// What a balancer may know about the request it picks for, without knowing HTTP: an opaque key
/// (for consistent hashing and sticky sessions), extracted by the caller. Empty when none.
/// </summary>
public readonly ref struct PickContext
{
    /// <summary>A context carrying <paramref name="key"/>.</summary>
    public PickContext(ReadOnlySpan<byte> key) => Key = key;

    /// <summary>The routing key bytes, or empty.</summary>
    public ReadOnlySpan<byte> Key { get; }
}
