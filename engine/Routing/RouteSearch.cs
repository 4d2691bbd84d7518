using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// One request's search for its route: the request's facts, the best rank found so far, and the methods of the
/// routes that took everything but the method. Lives on the stack for one match.
/// </summary>
internal ref struct RouteSearch
{
    private readonly RankedRoute[] _ranked;

    public RouteSearch(RankedRoute[] ranked, ulong methodBit, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, MessageHead? headers)
    {
        _ranked = ranked;
        MethodBit = methodBit;
        Path = path;
        Query = query;
        Headers = headers;
    }

    public ulong MethodBit { get; }
    public ReadOnlySpan<byte> Path { get; }
    public ReadOnlySpan<byte> Query { get; }
    public MessageHead? Headers { get; }

    /// <summary>The rank of the best route found so far; <see cref="int.MaxValue"/> when none.</summary>
    public int Best { get; private set; } = int.MaxValue;

    /// <summary>Methods of routes that would have taken the request with another method (kept only while none takes it).</summary>
    public ulong RefusedBy { get; private set; }

    /// <summary>
    /// Offers routes whose host and path match, in ascending rank; stops at the first that takes the request or
    /// at a rank no better than the best. <paramref name="segmentPrefixesRefused"/>: the path does not end a
    /// segment where these prefixes end, so whole-segment prefix routes among them do not match.
    /// </summary>
    public void Offer(ReadOnlySpan<int> ranks, bool segmentPrefixesRefused)
    {
        foreach (int rank in ranks)
        {
            if (rank >= Best) return;
            ref readonly RankedRoute candidate = ref _ranked[rank];
            if (segmentPrefixesRefused && candidate.PathPrefixSegments) continue;
            if (Consider(rank, candidate)) return;
        }
    }

    /// <summary>
    /// As <see cref="Offer"/>, for regex routes whose literal prefix the path starts with: the regex runs only for a
    /// route that could still win.
    /// </summary>
    public void OfferRegex(ReadOnlySpan<int> ranks)
    {
        foreach (int rank in ranks)
        {
            if (rank >= Best) return;
            ref readonly RankedRoute candidate = ref _ranked[rank];
            if (!candidate.Route.PathRegex!.IsMatchLatin1(Path)) continue;
            if (Consider(rank, candidate)) return;
        }
    }

    private bool Consider(int rank, in RankedRoute candidate)
    {
        bool methodTaken = (candidate.MethodMask & MethodBit) != 0;
        // Once some route has the request, a 405 is out of the question: skip the conditions of one that cannot win.
        if (!methodTaken && Best != int.MaxValue) return false;
        if (candidate.HasConditions && !candidate.Route.ConditionsHold(Query, Headers)) return false;
        if (methodTaken)
        {
            Best = rank;
            RefusedBy = 0;
            return true;
        }
        RefusedBy |= candidate.MethodMask;
        return false;
    }
}
