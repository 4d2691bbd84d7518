namespace Proxy.Health;

/// <summary>The closed state's sliding window: a ring of buckets, each a tenth of the window, updated lock-free.</summary>
public sealed partial class CircuitBreaker
{
    private const int BucketCount = 10;

    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly long _bucketTicks;

    /// <summary>Outcomes counted in the window now: (requests, failures). For tests and diagnostics; not a snapshot under load.</summary>
    internal (int Total, int Failures) CountWindow() => Sum(_time.GetTimestamp() / _bucketTicks);

    private void RecordClosed(int snapshot, RequestOutcome outcome)
    {
        if (outcome == RequestOutcome.Cancelled) return;   // neither success nor failure of the upstream
        long epoch = _time.GetTimestamp() / _bucketTicks;
        ref Bucket bucket = ref _buckets[(int)(epoch % BucketCount)];
        if (!Enter(ref bucket, epoch)) return;

        if (!RequestOutcomes.IsFailure(outcome))
        {
            Interlocked.Increment(ref bucket.Successes);
            return;
        }

        Interlocked.Increment(ref bucket.Failures);
        (int total, int failures) = Sum(epoch);
        if (total < _options.MinimumRequests || failures < _options.FailureRatio * total) return;

        lock (_sync)
        {
            // Only the first of several racing failures opens it; the others find the generation moved on.
            if (Volatile.Read(ref _stateAndGeneration) == snapshot) EnterOpen();
        }
    }

    /// <summary>
    /// Makes <paramref name="bucket"/> count for <paramref name="epoch"/>, resetting it when it still holds an older
    /// one. False when the bucket already moved past <paramref name="epoch"/> (this thread was descheduled for a whole
    /// bucket): the outcome is then dropped.
    /// </summary>
    private static bool Enter(ref Bucket bucket, long epoch)
    {
        long seen = Volatile.Read(ref bucket.Epoch);
        while (seen < epoch)
        {
            long previous = Interlocked.CompareExchange(ref bucket.Epoch, epoch, seen);
            if (previous == seen)
            {
                // Deliberate trade-off: an increment by another thread between the exchange above and these writes is
                // lost. That takes nanoseconds once per bucket; the ratio is over many requests and does not need an
                // exact count, and a lock here would put one on every request.
                Volatile.Write(ref bucket.Successes, 0);
                Volatile.Write(ref bucket.Failures, 0);
                return true;
            }

            seen = previous;
        }

        return seen == epoch;
    }

    private (int Total, int Failures) Sum(long currentEpoch)
    {
        int total = 0, failures = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            ref Bucket bucket = ref _buckets[i];
            long epoch = Volatile.Read(ref bucket.Epoch);
            if (epoch <= currentEpoch - BucketCount || epoch > currentEpoch) continue;   // outside the window
            int bucketFailures = Volatile.Read(ref bucket.Failures);
            failures += bucketFailures;
            total += bucketFailures + Volatile.Read(ref bucket.Successes);
        }

        return (total, failures);
    }

    private void ClearWindow()
    {
        for (int i = 0; i < BucketCount; i++)
        {
            ref Bucket bucket = ref _buckets[i];
            Volatile.Write(ref bucket.Epoch, long.MinValue);
            Volatile.Write(ref bucket.Successes, 0);
            Volatile.Write(ref bucket.Failures, 0);
        }
    }

    private struct Bucket
    {
        public long Epoch;     // which tenth of the window (timestamp / bucket length) the counts belong to
        public int Successes;
        public int Failures;
    }
}
