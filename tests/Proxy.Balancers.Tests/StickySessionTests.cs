using System.Text;
using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class StickySessionTests
{
    [Fact]
    public void Pick_CookieNamesAvailableDestination_ReturnsIt()
    {
        DestinationState[] set = Destinations.Equal(20);
        var fallback = new FixedBalancer(0);
        var balancer = new StickySession(fallback);

        for (int i = 0; i < set.Length; i++) Assert.Equal(i, balancer.Pick(set, new PickContext(set[i].StickyId)));
        Assert.Equal(0, fallback.Calls);
    }

    [Fact]
    public void Pick_NoCookie_FallbackChoosesAndCookieIsToBeSet()
    {
        DestinationState[] set = Destinations.Equal(3);
        var balancer = new StickySession(new FixedBalancer(2));

        int chosen = balancer.Pick(set, default);

        Assert.Equal(2, chosen);
        Assert.False(StickySession.IsPinned(default, set[chosen]));
    }

    [Fact]
    public void Pick_PinnedDestinationUnavailable_RepinsElsewhereAndCookieIsReplaced()
    {
        DestinationState[] all = Destinations.Equal(3);
        DestinationState[] withoutFirst = all[1..];
        var fallback = new FixedBalancer(1);
        var balancer = new StickySession(fallback);
        byte[] cookie = all[0].StickyId.ToArray();

        int chosen = balancer.Pick(withoutFirst, new PickContext(cookie, 12345));

        Assert.Same(all[2], withoutFirst[chosen]);
        Assert.False(StickySession.IsPinned(cookie, withoutFirst[chosen]));
        Assert.False(fallback.SawKey);
        Assert.Equal(12345, fallback.LastTimestamp);
    }

    [Fact]
    public void Pick_PinnedDestinationAvailableAgain_CookieStillLeadsThere()
    {
        DestinationState[] all = Destinations.Equal(3);
        var balancer = new StickySession(new FixedBalancer(0));
        byte[] cookie = all[2].StickyId.ToArray();
        balancer.Pick(all.AsSpan(0, 2), new PickContext(cookie));

        int chosen = balancer.Pick(all, new PickContext(cookie));

        Assert.Equal(2, chosen);
        Assert.True(StickySession.IsPinned(cookie, all[chosen]));
    }

    [Theory]
    [InlineData("not-a-destination")]
    [InlineData("0000000000000000")]
    [InlineData("\u0000\u00ff;=\r\n")]
    public void Pick_UnknownOrHostileCookie_UsesFallback(string cookie)
    {
        DestinationState[] set = Destinations.Equal(4);
        var fallback = new FixedBalancer(3);

        Assert.Equal(3, new StickySession(fallback).Pick(set, new PickContext(Encoding.Latin1.GetBytes(cookie))));
        Assert.Equal(1, fallback.Calls);
    }

    [Fact]
    public void Pick_CookieLongerThanAnyId_UsesFallbackWithoutLookup()
    {
        DestinationState[] set = Destinations.Equal(4);
        byte[] cookie = new byte[DestinationState.MaxStickyIdLength + 1];

        Assert.Equal(1, new StickySession(new FixedBalancer(1)).Pick(set, new PickContext(cookie)));
    }

    [Fact]
    public void Pick_ConfiguredStickyIds_MatchVerbatim()
    {
        DestinationState[] set =
        [
            new("10.0.0.1:80", 1, new DestinationStateOptions { StickyId = "blue" }),
            new("10.0.0.2:80", 1, new DestinationStateOptions { StickyId = "green" }),
        ];
        var balancer = new StickySession(new FixedBalancer(0));

        Assert.Equal(1, balancer.Pick(set, new PickContext("green"u8)));
        Assert.Equal(0, balancer.Pick(set, new PickContext("gree"u8)));
    }

    [Fact]
    public void IsPinned_CookieEqualsStickyId_True()
    {
        var destination = new DestinationState("10.0.0.1:80", 1);

        Assert.True(StickySession.IsPinned(destination.StickyId, destination));
        Assert.False(StickySession.IsPinned("10.0.0.1:80"u8, destination));
    }
}
