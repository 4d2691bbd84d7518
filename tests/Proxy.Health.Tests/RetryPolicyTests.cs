using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class RetryPolicyTests
{
    private static readonly RetryOptions Options = new()
    {
        Attempts = 2,
        Backoff = TimeSpan.FromMilliseconds(25),
        MaxReplayBody = 64 * 1024,
    };

    private static readonly FailedAttempt Retryable = new(
        AttemptNumber: 1,
        Outcome: RequestOutcome.Reset,
        StatusCode: 0,
        IsIdempotent: true,
        RequestBodyBytesSent: 0,
        RequestBodyRetained: false,
        ResponseStarted: false);

    private static RetryPolicy Policy(RetryOptions? options = null, double jitter = 0.5) => new(options ?? Options, new FixedJitterSource(jitter));

    [Fact]
    public void Evaluate_IdempotentResetNothingSent_Retries()
    {
        Assert.Equal(RetryVerdict.Retry, Policy().Evaluate(Retryable));
    }

    [Fact]
    public void Evaluate_AttemptsUsedUp_Refuses()
    {
        var policy = Policy();

        Assert.Equal(RetryVerdict.Retry, policy.Evaluate(Retryable with { AttemptNumber = 2 }));
        Assert.Equal(RetryVerdict.AttemptsExhausted, policy.Evaluate(Retryable with { AttemptNumber = 3 }));
    }

    [Fact]
    public void Evaluate_AttemptsZero_NeverRetries()
    {
        Assert.Equal(RetryVerdict.AttemptsExhausted, Policy(Options with { Attempts = 0 }).Evaluate(Retryable));
    }

    [Theory]
    [InlineData(RequestOutcome.Status5xx, 500, RetryVerdict.OutcomeNotRetryable)]
    [InlineData(RequestOutcome.Status5xx, 503, RetryVerdict.Retry)]
    [InlineData(RequestOutcome.ResponseHeaderTimeout, 0, RetryVerdict.OutcomeNotRetryable)]
    [InlineData(RequestOutcome.InvalidResponse, 0, RetryVerdict.OutcomeNotRetryable)]
    [InlineData(RequestOutcome.Cancelled, 0, RetryVerdict.OutcomeNotRetryable)]
    [InlineData(RequestOutcome.Success, 200, RetryVerdict.OutcomeNotRetryable)]
    public void Evaluate_OutcomeAgainstDefaultOnList_RetriesOnlyListed(RequestOutcome outcome, int status, RetryVerdict expected)
    {
        Assert.Equal(expected, Policy().Evaluate(Retryable with { Outcome = outcome, StatusCode = status }));
    }

    [Fact]
    public void Evaluate_ResponseAlreadyStarted_Refuses()
    {
        Assert.Equal(RetryVerdict.ResponseStarted, Policy().Evaluate(Retryable with { ResponseStarted = true }));
    }

    [Fact]
    public void Evaluate_NonIdempotentAfterReset_Refuses()
    {
        Assert.Equal(RetryVerdict.NotIdempotent, Policy().Evaluate(Retryable with { IsIdempotent = false }));
    }

    [Theory]
    [InlineData(RequestOutcome.ConnectFailure)]
    [InlineData(RequestOutcome.ConnectTimeout)]
    public void Evaluate_NonIdempotentUpstreamNeverSawIt_Retries(RequestOutcome outcome)
    {
        Assert.Equal(RetryVerdict.Retry, Policy().Evaluate(Retryable with { IsIdempotent = false, Outcome = outcome }));
    }

    [Fact]
    public void Evaluate_NonIdempotentAllowedByRoute_Retries()
    {
        var policy = Policy(Options with { RetryNonIdempotent = true });

        Assert.Equal(RetryVerdict.Retry, policy.Evaluate(Retryable with { IsIdempotent = false }));
    }

    [Fact]
    public void Evaluate_BodySentAndNotKept_Refuses()
    {
        var attempt = Retryable with { RequestBodyBytesSent = 100_000, RequestBodyRetained = false };

        Assert.Equal(RetryVerdict.BodyNotReplayable, Policy().Evaluate(attempt));
    }

    [Fact]
    public void Evaluate_BodySentAndKept_Retries()
    {
        var attempt = Retryable with { RequestBodyBytesSent = 1_000, RequestBodyRetained = true };

        Assert.Equal(RetryVerdict.Retry, Policy().Evaluate(attempt));
    }

    [Fact]
    public void MaxReplayBody_FromOptions()
    {
        Assert.Equal(64 * 1024, Policy().MaxReplayBody);
        Assert.Equal(2, Policy().MaxRetries);
    }

    [Fact]
    public void TrySchedule_Retryable_TakesBudgetTokenAndGivesJitteredBackoff()
    {
        var budget = new RetryBudget("api", budgetPercent: 20, minimum: 1);

        RetryVerdict verdict = Policy(jitter: 0.5).TrySchedule(Retryable with { AttemptNumber = 2 }, budget, out TimeSpan delay);

        Assert.Equal(RetryVerdict.Retry, verdict);
        Assert.Equal(TimeSpan.FromMilliseconds(25), delay);   // second retry: 0.5 x 25 ms x 2
        Assert.Equal(1, budget.RetriesInFlight);
    }

    [Fact]
    public void TrySchedule_BudgetFull_RefusesWithoutDelay()
    {
        var budget = new RetryBudget("api", budgetPercent: 20, minimum: 1);
        Assert.True(budget.TryAcquireRetry());

        RetryVerdict verdict = Policy().TrySchedule(Retryable, budget, out TimeSpan delay);

        Assert.Equal(RetryVerdict.BudgetExhausted, verdict);
        Assert.Equal(TimeSpan.Zero, delay);
        Assert.Equal(1, budget.RetriesInFlight);
    }

    [Fact]
    public void TrySchedule_NotRetryable_TakesNoToken()
    {
        var budget = new RetryBudget("api", budgetPercent: 20, minimum: 1);

        Assert.Equal(RetryVerdict.NotIdempotent, Policy().TrySchedule(Retryable with { IsIdempotent = false }, budget, out _));
        Assert.Equal(0, budget.RetriesInFlight);
    }

    [Fact]
    public void Evaluate_AllocatesNothing()
    {
        var policy = Policy();
        FailedAttempt attempt = Retryable;
        policy.Evaluate(attempt);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) policy.Evaluate(attempt);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
