namespace Proxy.Engine.Routing;

// Drains: destinations an operator took out of rotation (POST /admin/clusters/{name}/destinations/{address}/drain).
// A drained destination is left out of every AvailableDestinations built (see Rebuild), so it gets no new request;
// requests already on it finish. Kept by address for as long as the cluster configures the address, across reloads.
internal sealed partial class ClusterRuntime
{
    private readonly HashSet<string> _drained = new(StringComparer.Ordinal);    // guarded by _rebuild

    /// <summary>
    /// Drains (<paramref name="drained"/> true) or undrains the destination at <paramref name="address"/> and, when that
    /// changes anything, publishes a new set of available destinations before returning: a request that starts after
    /// this returns does not pick a destination just drained. False when it already was in that state.
    /// </summary>
    public bool SetDrained(string address, bool drained)
    {
        lock (_rebuild)
        {
            if (drained ? !_drained.Add(address) : !_drained.Remove(address)) return false;
            RebuildLocked();
            return true;
        }
    }

    /// <summary>Whether the destination at <paramref name="address"/> is drained now.</summary>
    public bool IsDrained(string address)
    {
        lock (_rebuild) return _drained.Contains(address);
    }

    /// <summary>
    /// Takes over the drains of <paramref name="previous"/>, the runtime this one replaces on a reload, for the
    /// addresses this one knows: a changed balancer or health section must not put a drained destination back.
    /// Call after <see cref="SetDestinations"/>.
    /// </summary>
    public void InheritDrains(ClusterRuntime previous)
    {
        string[] addresses;
        lock (previous._rebuild) addresses = [.. previous._drained];
        lock (_rebuild)
        {
            Dictionary<string, Destination> byKey = Volatile.Read(ref _byKey);
            foreach (string address in addresses)
            {
                if (byKey.ContainsKey(address)) _drained.Add(address);
            }
            RebuildLocked();
        }
    }

    private bool IsDrainedLocked(string address) => _drained.Count != 0 && _drained.Contains(address);

    /// <summary>A destination no longer configured forgets its drain: added back later, it starts undrained.</summary>
    private void ForgetDrainsOfRemoved(Dictionary<string, Destination> byKey) => _drained.RemoveWhere(address => !byKey.ContainsKey(address));
}
