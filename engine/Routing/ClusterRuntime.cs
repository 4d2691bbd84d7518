using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Upstreams;
using Proxy.Health;

namespace Proxy.Engine.Routing;

/// <summary>
/// What of a cluster lives longer than one routing snapshot: its health (probes, outlier ejection, breakers), its
/// retry policy and budget, its balancer, and the array of destinations that may take traffic. Kept across reloads
/// while the cluster's balancer, health and retry settings stay the same (snapshots come and go; verdicts, breaker
/// windows and balancer tables stay); replaced, and the old one disposed, when they change. The operator's drains
/// (<see cref="SetDrained"/>) live here too, and follow the cluster into a replacement runtime.
/// </summary>
internal sealed partial class ClusterRuntime : IDisposable
{
    private readonly Lock _rebuild = new();
    private Dictionary<string, Destination> _byKey = new(StringComparer.Ordinal);
    private AvailableDestinations _available = AvailableDestinations.None;

    public ClusterRuntime(ClusterConfig config, IHealthEvents events)
    {
        var probe = new HttpHealthProbe(Find);
        Name = config.Name;
        Config = config;
        Health = new ClusterHealth(config.Name, config.Health, config.Health.Active is null ? null : probe, events);
        Retry = new RetryPolicy(config.Retry);
        Budget = new RetryBudget(config.Name, config.Retry, events);
        Balancer = CreateBalancer(config.Balancer);
        HashKeySource? key = config.HashKey ?? (config.Balancer == BalancerKind.Sticky ? HashKeySource.DefaultStickyCookie : null);
        HashKeySource = key;
        HashKey = key is null ? null : new RequestKey(key);
        StickyCookieName = config.Balancer == BalancerKind.Sticky ? System.Text.Encoding.ASCII.GetBytes(key!.Name) : [];
        Health.Changed += (_, _) => Rebuild();
    }

    public string Name { get; }
    public ClusterConfig Config { get; }
    public ClusterHealth Health { get; }
    public RetryPolicy Retry { get; }
    public RetryBudget Budget { get; }
    public IBalancer Balancer { get; }

    /// <summary>The <c>hash_key</c> in effect: as configured, or sticky's default cookie; null for balancers that need no key.</summary>
    public HashKeySource? HashKeySource { get; }

    /// <summary>What the balancer hashes (consistent_hash) or looks up (sticky); null for balancers that need no key.</summary>
    public RequestKey? HashKey { get; }

    /// <summary>The cookie that pins a client to a destination (sticky only; empty otherwise).</summary>
    public byte[] StickyCookieName { get; }

    /// <summary>The destinations that may take traffic now: one volatile read per pick.</summary>
    public AvailableDestinations Available => Volatile.Read(ref _available);

    /// <summary>Whether a new configuration of the cluster can keep this runtime (and so its live state).</summary>
    public bool Serves(ClusterConfig config) =>
        config.Balancer == Config.Balancer && config.HashKey == Config.HashKey &&
        config.Health == Config.Health && config.Retry == Config.Retry;

    /// <summary>The destination known by <paramref name="key"/> (its configured address), for the health probe.</summary>
    public Destination? Find(string key) => Volatile.Read(ref _byKey).GetValueOrDefault(key);

    /// <summary>The cluster's destinations after a (re)load; health keeps the state of those it knew.</summary>
    public void SetDestinations(IReadOnlyList<Destination> destinations)
    {
        var byKey = new Dictionary<string, Destination>(StringComparer.Ordinal);
        var keys = new string[destinations.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = destinations[i].Address;
            byKey[keys[i]] = destinations[i];
        }
        Volatile.Write(ref _byKey, byKey);
        Health.SetDestinations(keys);
        lock (_rebuild)
        {
            ForgetDrainsOfRemoved(byKey);
            RebuildLocked();
        }
    }

    private void Rebuild()
    {
        lock (_rebuild) RebuildLocked();
    }

    /// <summary>
    /// Builds and publishes the usable arrays from health's latest snapshot and the drains; under <c>_rebuild</c>; quick,
    /// as health's Changed handlers must be. Reading <see cref="ClusterHealth.Current"/> here, rather than a snapshot a
    /// caller was handed, means a late caller can never publish an older state over a newer one.
    /// </summary>
    /// <remarks>
    /// Drained destinations are left out whatever health says, panic included: an operator's drain is never overridden.
    /// Panic is judged among the destinations that are not drained, as if the drained ones were not configured: when
    /// none of them may take traffic (and health.panic_mode is on) all of them take it. Every destination drained:
    /// nothing is available, and new requests get 503 (as HAProxy answers when every server is in maintenance).
    /// </remarks>
    private void RebuildLocked()
    {
        ClusterHealthSnapshot snapshot = Health.Current;
        Dictionary<string, Destination> byKey = Volatile.Read(ref _byKey);
        int undrained = 0, undrainedUsable = 0;
        for (int i = 0; i < snapshot.Destinations.Length; i++)
        {
            if (IsDrainedLocked(snapshot.Destinations[i].Key)) continue;
            undrained++;
            if (snapshot.IsUsable(i)) undrainedUsable++;
        }
        bool panic = undrained > 0 && (snapshot.IsPanic || (undrainedUsable == 0 && Config.Health.PanicMode));

        var destinations = new List<Destination>(snapshot.Destinations.Length);
        var health = new List<DestinationHealth>(snapshot.Destinations.Length);
        for (int i = 0; i < snapshot.Destinations.Length; i++)
        {
            string key = snapshot.Destinations[i].Key;
            if (IsDrainedLocked(key) || !(panic || snapshot.IsUsable(i)) || !byKey.TryGetValue(key, out Destination? destination)) continue;
            destinations.Add(destination);
            health.Add(snapshot.Destinations[i]);
        }
        DestinationState[] states = [.. destinations.Select(d => d.State)];
        Balancer.Prepare(states);
        Volatile.Write(ref _available, new AvailableDestinations([.. destinations], states, [.. health], panic));
    }

    private static IBalancer CreateBalancer(BalancerKind kind) => BalancerFactory.Create(kind switch
    {
        BalancerKind.RoundRobin => BalancingAlgorithm.RoundRobin,
        BalancerKind.WeightedRoundRobin => BalancingAlgorithm.WeightedRoundRobin,
        BalancerKind.Random => BalancingAlgorithm.Random,
        BalancerKind.LeastConn => BalancingAlgorithm.LeastRequests,
        BalancerKind.PowerOfTwoChoices => BalancingAlgorithm.PowerOfTwoChoices,
        BalancerKind.PeakEwma => BalancingAlgorithm.PeakEwma,
        BalancerKind.ConsistentHash => BalancingAlgorithm.ConsistentHash,
        BalancerKind.Sticky => BalancingAlgorithm.Sticky,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown balancer"),
    });

    public void Dispose() => Health.Dispose();
}
