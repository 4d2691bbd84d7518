using Proxy.Balancers;
using Proxy.Engine.Routing;
using Proxy.Health;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

internal sealed partial class Http1Forwarder
{
    // The destinations this request has tried, so that a retry goes elsewhere while somewhere else is usable.
    private readonly Destination?[] _tried = new Destination?[RetryOptions.MaxAttempts + 1];
    private int _triedCount;
    private int _lastPickedIndex;    // in the available set of the last pick: a retry starts looking after it

    // Sticky sessions: the destination to pin the client to with a Set-Cookie (null: already pinned, or not sticky).
    private DestinationState? _pinTo;

    /// <summary>A destination chosen for one attempt, with the breaker's permit to report back exactly once.</summary>
    private readonly record struct PickedDestination(Destination Destination, DestinationHealth Health, CircuitPermit Permit);

    /// <summary>
    /// Chooses the destination for the next attempt: for the first, the balancer's choice among the destinations that
    /// may take traffic; for a retry, the one after the last attempt's (asking the balancer again would move its
    /// rotation twice per request, so that a round robin over one dead and one live destination would meet the dead
    /// one on every request). Skipped: destinations this request already tried and those whose breaker refuses; a
    /// tried one is taken again only when every other one refuses. False when none will take the attempt (503).
    /// </summary>
    private bool TryPick(RequestHead request, ClusterRuntime runtime, long now, out PickedDestination picked)
    {
        picked = default;
        AvailableDestinations available = runtime.Available;
        if (available.Count == 0) return false;

        ReadOnlySpan<byte> key = default;
        runtime.HashKey?.TryGet(request, _client.Forwarding.ClientAddress, out key);
        int first = _triedCount == 0
            ? runtime.Balancer.Pick(available.States, new PickContext(key, now))
            : (_lastPickedIndex + 1) % available.Count;
        if (first < 0) return false;

        int index = TryAdmit(available, first, allowTried: false, out picked);
        if (index < 0) index = TryAdmit(available, first, allowTried: true, out picked);
        if (index < 0) return false;
        _lastPickedIndex = index;
        if (_triedCount < _tried.Length) _tried[_triedCount++] = picked.Destination;
        if (runtime.StickyCookieName.Length > 0)
        {
            DestinationState state = picked.Destination.State;
            _pinTo = StickySession.IsPinned(key, state) ? null : state;
        }
        return true;
    }

    /// <summary>
    /// The first destination from <paramref name="first"/> on (wrapping round) that passes and whose breaker admits the
    /// attempt: its index, or -1.
    /// </summary>
    private int TryAdmit(AvailableDestinations available, int first, bool allowTried, out PickedDestination picked)
    {
        int count = available.Count;
        for (int step = 0; step < count; step++)
        {
            int index = first + step < count ? first + step : first + step - count;
            Destination destination = available.Destinations[index];
            if (!allowTried && WasTried(destination)) continue;
            DestinationHealth health = available.Health[index];
            if (!health.TryAcquire(out CircuitPermit permit))
            {
                // Panic among the undrained destinations need not be health's own panic (a drained one may be healthy);
                // it lets an open breaker's attempt through untracked all the same, as health's panic does.
                if (!available.IsPanic) continue;
                permit = default;
            }
            picked = new PickedDestination(destination, health, permit);
            return index;
        }
        picked = default;
        return -1;
    }

    private bool WasTried(Destination destination)
    {
        for (int i = 0; i < _triedCount; i++)
        {
            if (ReferenceEquals(_tried[i], destination)) return true;
        }
        return false;
    }

    private void ForgetTried()
    {
        Array.Clear(_tried, 0, _triedCount);    // no destination kept alive past its request
        _triedCount = 0;
        _pinTo = null;
    }
}
