using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class AvailableSetCacheTests
{
    [Fact]
    public void Get_SameSetAgain_BuildsOnce()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] set = Destinations.Equal(4);

        object first = cache.Get(set);
        object second = cache.Get(set.ToArray());

        Assert.Same(first, second);
        Assert.Equal(1, builds);
    }

    [Fact]
    public void Get_SameArrayAfterGarbageCollections_StillHitsWithoutBuilding()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] set = Destinations.Equal(64);
        object first = cache.Get(set);

        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Assert.Same(first, cache.Get(set));
            Assert.Same(first, cache.Get(set));
        }

        Assert.Equal(1, builds);
    }

    [Fact]
    public void Get_NewArrayWithSameDestinationsAtAnotherAddress_HitsWithoutBuilding()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] set = Destinations.Equal(8);
        cache.Get(set);

        DestinationState[] rebuilt = [.. set];
        cache.Get(rebuilt);
        cache.Get(set);

        Assert.Equal(1, builds);
    }

    [Fact]
    public void Get_SameArrayShorterSpan_Rebuilds()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] set = Destinations.Equal(8);
        cache.Get(set);

        cache.Get(set.AsSpan(0, 7));

        Assert.Equal(2, builds);
    }

    [Fact]
    public void Get_SameDestinationsInAnotherOrder_Rebuilds()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] set = Destinations.Equal(3);

        cache.Get(set);
        cache.Get(new[] { set[1], set[0], set[2] });

        Assert.Equal(2, builds);
    }

    [Fact]
    public void Get_WeightChanged_Rebuilds()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] set = Destinations.Equal(3);
        cache.Get(set);

        set[1].Weight = 7;
        cache.Get(set);

        Assert.Equal(2, builds);
    }

    [Fact]
    public void Get_AlternatingBetweenTwoSets_BuildsEachOnce()
    {
        int builds = 0;
        var cache = new AvailableSetCache<object>(_ => { builds++; return new object(); });
        DestinationState[] all = Destinations.Equal(3);
        DestinationState[] fewer = all[..2];

        for (int i = 0; i < 10; i++)
        {
            cache.Get(all);
            cache.Get(fewer);
        }

        Assert.Equal(2, builds);
    }

    [Fact]
    public void Get_BuildSeesPrivateCopyOfTheSet()
    {
        DestinationState[]? built = null;
        var cache = new AvailableSetCache<object>(members => { built = members; return new object(); });
        DestinationState[] set = Destinations.Equal(2);

        cache.Get(set);

        Assert.NotSame(set, built);
        Assert.Equal(set, built);
    }
}
