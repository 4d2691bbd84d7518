using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Proxy.Balancers;

/// <summary>
/// The live counters of one destination of one cluster: what balancers read to choose. It outlives routing
/// snapshots (a reload that keeps the destination keeps this object), so counters, the latency estimate and
/// the sticky id never reset on reload. All members are thread-safe and lock-free.
/// </summary>
public sealed partial class DestinationState
{
    /// <summary>The longest sticky id accepted, in bytes; longer cookie values are treated as absent.</summary>
    public const int MaxStickyIdLength = 64;

    // One version for every destination of the process, bumped whenever any weight changes: balancers that
    // cache tables per available set compare it with one read instead of re-reading every weight per pick.
    // Weights change only on reload, so a global counter costs a few needless rebuilds at most.
    private static int _weightsVersion;

    private readonly byte[] _stickyId;
    private int _activeRequests;
    private int _weight;
    private long _totalRequests;

    /// <summary>A destination known by <paramref name="address"/> with <paramref name="weight"/> (at least 1), with default options.</summary>
    public DestinationState(string address, int weight)
        : this(address, weight, DestinationStateOptions.Default)
    {
    }

    /// <summary>
    /// A destination known by <paramref name="address"/> with <paramref name="weight"/> (at least 1), its clock,
    /// latency decay and sticky id taken from <paramref name="options"/>. Hashes the address once (SHA-256) when no
    /// sticky id is given; not for the request path.
    /// </summary>
    public DestinationState(string address, int weight, DestinationStateOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LatencyDecayTime, TimeSpan.Zero);
        Address = address;
        _weight = weight;
        _stickyId = options.StickyId is null ? DeriveStickyId(address) : ValidateStickyId(options.StickyId);
        StickyIdHash = StableHash.Hash64(_stickyId);
        _timeProvider = options.TimeProvider;
        _secondsPerTick = 1.0 / options.TimeProvider.TimestampFrequency;
        _decayTicks = options.LatencyDecayTime.TotalSeconds * options.TimeProvider.TimestampFrequency;
        LatencyDecayTime = options.LatencyDecayTime;
        _latencyBits = BitConverter.DoubleToInt64Bits(double.NaN);
        _latencyTimestamp = options.TimeProvider.GetTimestamp();
    }

    /// <summary>The destination's address as configured ("host:port"); its identity within a cluster.</summary>
    public string Address { get; }

    /// <summary>
    /// Relative share of traffic (at least 1); may change on reload. Reading is one volatile read; setting a
    /// different value makes every balancer rebuild its cached tables on its next pick.
    /// </summary>
    public int Weight
    {
        get => Volatile.Read(ref _weight);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            if (Interlocked.Exchange(ref _weight, value) != value) Interlocked.Increment(ref _weightsVersion);
        }
    }

    /// <summary>Requests sent to this destination that have not finished yet.</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    /// <summary>Requests ever started on this destination.</summary>
    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    /// <summary>
    /// The opaque value naming this destination in a sticky-session cookie (ASCII, cookie-safe, at most
    /// <see cref="MaxStickyIdLength"/> bytes). Not the address: by default 16 hex digits of the address's SHA-256,
    /// so it is the same across restarts and across proxies with the same configuration. Never changes.
    /// </summary>
    public ReadOnlySpan<byte> StickyId => _stickyId;

    /// <summary>A stable 64-bit hash of <see cref="StickyId"/>, for O(1) lookups.</summary>
    internal ulong StickyIdHash { get; }

    /// <summary>The current weights version; see <see cref="Weight"/>.</summary>
    internal static int WeightsVersion => Volatile.Read(ref _weightsVersion);

    /// <summary>
    /// Call when a request is sent to this destination; pair with <see cref="OnRequestEnd(long)"/>. Two interlocked
    /// increments, and one interlocked store more while a least_conn balancer indexes this destination.
    /// </summary>
    public void OnRequestStart()
    {
        Interlocked.Increment(ref _activeRequests);
        PublishInFlight();
        Interlocked.Increment(ref _totalRequests);
    }

    /// <summary>
    /// Call when a request started with <see cref="OnRequestStart"/> has finished, with the time it took
    /// (timestamps of this state's clock — <see cref="Stopwatch"/> ticks for the system clock — from sending to
    /// the end of the response head). Feeds the latency estimate, then releases the request. Reads the clock
    /// once; use <see cref="OnRequestEnd(long, long)"/> when the caller already has the time.
    /// </summary>
    public void OnRequestEnd(long elapsedTicks) => OnRequestEnd(elapsedTicks, _timeProvider.GetTimestamp());

    /// <summary>
    /// As <see cref="OnRequestEnd(long)"/>, with <paramref name="endTimestamp"/> the clock's timestamp now
    /// (what the caller subtracted the start from). Lock-free: a compare-and-swap loop and one decrement, and one
    /// interlocked store more while a least_conn balancer indexes this destination.
    /// </summary>
    public void OnRequestEnd(long elapsedTicks, long endTimestamp)
    {
        // Record before releasing: a pick in between would otherwise see an idle destination with its old
        // estimate and decay it over the time this very request was in flight.
        RecordLatency(elapsedTicks, endTimestamp);
        Interlocked.Decrement(ref _activeRequests);
        PublishInFlight();
    }

    /// <inheritdoc/>
    public override string ToString() => Address;

    private static byte[] DeriveStickyId(string address)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(address), digest);
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest[..8]));
    }

    private static byte[] ValidateStickyId(string stickyId)
    {
        if (stickyId.Length is 0 or > MaxStickyIdLength)
        {
            throw new ArgumentException($"A sticky id has 1 to {MaxStickyIdLength} characters.", nameof(stickyId));
        }
        foreach (char c in stickyId)
        {
            // RFC 6265 §4.1.1 allows more in a cookie value; this subset also survives URLs and logs unquoted.
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
            {
                throw new ArgumentException("A sticky id holds only letters, digits, '-', '.', '_' and '~'.", nameof(stickyId));
            }
        }
        return Encoding.ASCII.GetBytes(stickyId);
    }
}
