namespace Proxy.Balancers.Tests.Support;

/// <summary>A fallback that always answers the same index, and records whether it saw a key.</summary>
internal sealed class FixedBalancer(int index) : IBalancer
{
    public int Calls { get; private set; }

    public bool SawKey { get; private set; }

    public long LastTimestamp { get; private set; }

    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        Calls++;
        SawKey |= !context.Key.IsEmpty;
        LastTimestamp = context.Timestamp;
        return available.IsEmpty ? -1 : Math.Min(index, available.Length - 1);
    }
}
