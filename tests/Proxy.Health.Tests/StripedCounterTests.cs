namespace Proxy.Health.Tests;

public class StripedCounterTests
{
    [Fact]
    public void Sum_AddsOnOneThread_IsExact()
    {
        var counter = new StripedCounter();

        counter.Add(5);
        counter.Add(-2);

        Assert.Equal(3, counter.Sum());
    }

    [Fact]
    public void Sum_ManyThreadsIncrementingAndDecrementing_ReturnsToZero()
    {
        var counter = new StripedCounter();

        Parallel.For(0, 200_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            counter.Add(1);
            Thread.Yield();
            counter.Add(-1);   // possibly on another core's cell: the sum stays exact
        });

        Assert.Equal(0, counter.Sum());
    }
}
