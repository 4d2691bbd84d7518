using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class RetryBudgetTests
{
    private readonly RecordingHealthEvents _events = new();

    private RetryBudget Budget(int percent = 20, int minimum = 3) => new("api", percent, minimum, _events);

    private static void Start(RetryBudget budget, int requests)
    {
        for (int i = 0; i < requests; i++) budget.OnRequestStarted();
    }

    [Fact]
    public void AllowedRetries_Idle_IsTheMinimum()
    {
        Assert.Equal(3, Budget().AllowedRetries);
    }

    [Theory]
    [InlineData(14, 3)]    // 20% of 14 = 2.8: the minimum is more
    [InlineData(20, 4)]
    [InlineData(24, 4)]    // rounded down: never more than the share
    [InlineData(100, 20)]
    [InlineData(1000, 200)]
    public void AllowedRetries_UnderLoad_IsPercentOfActiveRequestsButAtLeastMinimum(int active, int expected)
    {
        var budget = Budget();
        Start(budget, active);

        Assert.Equal(active, budget.ActiveRequests);
        Assert.Equal(expected, budget.AllowedRetries);
    }

    [Fact]
    public void TryAcquireRetry_UpToAllowed_GrantsThenRefusesAndCounts()
    {
        var budget = Budget();
        Start(budget, 20);   // 4 allowed

        for (int i = 0; i < 4; i++) Assert.True(budget.TryAcquireRetry());
        Assert.False(budget.TryAcquireRetry());
        Assert.False(budget.TryAcquireRetry());

        Assert.Equal(4, budget.RetriesInFlight);
        Assert.Equal(4, budget.RetriesGranted);
        Assert.Equal(2, budget.RetriesRefused);
    }

    [Fact]
    public void TryAcquireRetry_RefusedRepeatedly_RaisesExhaustedOncePerSpell()
    {
        var budget = Budget(minimum: 1);
        Assert.True(budget.TryAcquireRetry());

        Assert.False(budget.TryAcquireRetry());
        Assert.False(budget.TryAcquireRetry());
        budget.ReleaseRetry();
        Assert.True(budget.TryAcquireRetry());
        Assert.False(budget.TryAcquireRetry());

        Assert.Equal(["budget api 1/0", "budget api 1/0"], _events.Lines);
    }

    [Fact]
    public void ReleaseRetry_FreesRoomForAnother()
    {
        var budget = Budget(minimum: 1);
        Assert.True(budget.TryAcquireRetry());

        budget.ReleaseRetry();

        Assert.Equal(0, budget.RetriesInFlight);
        Assert.True(budget.TryAcquireRetry());
    }

    [Fact]
    public void ReleaseRetry_WithoutAcquire_ThrowsAndKeepsCountAtZero()
    {
        var budget = Budget();

        Assert.Throws<InvalidOperationException>(budget.ReleaseRetry);
        Assert.Equal(0, budget.RetriesInFlight);
    }

    [Fact]
    public void TryAcquireRetry_LoadFalls_AllowedShrinksAndHeldTokensStay()
    {
        var budget = Budget(minimum: 0);
        Start(budget, 50);   // 10 allowed
        for (int i = 0; i < 10; i++) Assert.True(budget.TryAcquireRetry());

        for (int i = 0; i < 40; i++) budget.OnRequestEnded();   // 2 allowed now

        Assert.Equal(10, budget.RetriesInFlight);
        Assert.False(budget.TryAcquireRetry());
        for (int i = 0; i < 9; i++) budget.ReleaseRetry();
        Assert.True(budget.TryAcquireRetry());
        Assert.False(budget.TryAcquireRetry());
    }

    [Fact]
    public void TryAcquireRetry_PercentZeroMinimumZero_NeverGrants()
    {
        var budget = Budget(percent: 0, minimum: 0);
        Start(budget, 1000);

        Assert.False(budget.TryAcquireRetry());
    }

    [Fact]
    public void Constructor_FromOptions_UsesPercentAndMinimum()
    {
        var budget = new RetryBudget("api", new RetryOptions { BudgetPercent = 50, BudgetMinimum = 1 });
        Start(budget, 10);

        Assert.Equal(5, budget.AllowedRetries);
    }

    [Fact]
    public void Counters_ManyThreadsStartingRetryingAndEnding_ReturnToZero()
    {
        var budget = Budget(percent: 20, minimum: 3);
        int overBudget = 0;

        Parallel.For(0, 100_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            budget.OnRequestStarted();
            if (budget.TryAcquireRetry())
            {
                // At most 8 requests are in flight, so 20% never reaches the minimum: never more than 3 retries.
                if (budget.RetriesInFlight > 3) Interlocked.Increment(ref overBudget);
                budget.ReleaseRetry();
            }

            budget.OnRequestEnded();
        });

        Assert.Equal(0, budget.ActiveRequests);
        Assert.Equal(0, budget.RetriesInFlight);
        Assert.Equal(0, overBudget);
        Assert.Equal(100_000, budget.RetriesGranted + budget.RetriesRefused);
    }

    [Fact]
    public void RequestCountingAndAcquire_AllocateNothing()
    {
        var budget = Budget();
        budget.OnRequestStarted();
        budget.TryAcquireRetry();
        budget.ReleaseRetry();
        budget.OnRequestEnded();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            budget.OnRequestStarted();
            if (budget.TryAcquireRetry()) budget.ReleaseRetry();
            budget.OnRequestEnded();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
