namespace Proxy.Health.Tests;

public class ExponentialBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(1, 25)]
    [InlineData(2, 50)]
    [InlineData(3, 100)]
    [InlineData(4, 200)]
    [InlineData(5, 250)]
    [InlineData(1000, 250)]
    public void Ceiling_EachRetry_DoublesUntilCap(int retry, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ExponentialBackoff.Ceiling(Base, Cap, retry));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.5, 50)]
    [InlineData(0.25, 25)]
    public void Delay_FullJitter_ScalesCeilingByRandom(double random, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ExponentialBackoff.Delay(Base, Cap, 3, random));
    }

    [Fact]
    public void Delay_RandomJustBelowOne_StaysBelowCeiling()
    {
        Assert.True(ExponentialBackoff.Delay(Base, Cap, 2, 0.999999) < TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Delay_ZeroBase_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, ExponentialBackoff.Delay(TimeSpan.Zero, TimeSpan.Zero, 3, 0.9));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void Delay_RandomOutsideUnitInterval_Throws(double random)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExponentialBackoff.Delay(Base, Cap, 1, random));
    }

    [Fact]
    public void Ceiling_RetryZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExponentialBackoff.Ceiling(Base, Cap, 0));
    }
}
