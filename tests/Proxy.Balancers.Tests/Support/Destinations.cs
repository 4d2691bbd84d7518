namespace Proxy.Balancers.Tests.Support;

internal static class Destinations
{
    /// <summary>One destination per weight, at 10.0.0.(i+1):8080.</summary>
    public static DestinationState[] WithWeights(params int[] weights) => WithWeights(DestinationStateOptions.Default, weights);

    public static DestinationState[] WithWeights(DestinationStateOptions options, params int[] weights)
    {
        var states = new DestinationState[weights.Length];
        for (int i = 0; i < weights.Length; i++) states[i] = new DestinationState($"10.0.{i / 250}.{(i % 250) + 1}:8080", weights[i], options);
        return states;
    }

    public static DestinationState[] Equal(int count) => WithWeights(Enumerable.Repeat(1, count).ToArray());

    /// <summary>How often each destination of <paramref name="all"/> was chosen in <paramref name="picks"/> from <paramref name="available"/>.</summary>
    public static int[] Count(IBalancer balancer, DestinationState[] all, DestinationState[] available, int picks)
    {
        int[] counts = new int[all.Length];
        for (int i = 0; i < picks; i++)
        {
            int index = balancer.Pick(available, default);
            counts[Array.IndexOf(all, available[index])]++;
        }
        return counts;
    }

    /// <summary>Makes <paramref name="destination"/> look like it has <paramref name="count"/> requests in flight.</summary>
    public static void StartRequests(DestinationState destination, int count)
    {
        for (int i = 0; i < count; i++) destination.OnRequestStart();
    }
}
