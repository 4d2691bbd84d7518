namespace Proxy.Health.Tests.Fakes;

/// <summary>Returns the given values in turn, then repeats the last: jitter a test chooses. Thread-safe.</summary>
internal sealed class FixedJitterSource(params double[] values) : IJitterSource
{
    private int _next;

    public double NextDouble()
    {
        int index = Interlocked.Increment(ref _next) - 1;
        return values[Math.Min(index, values.Length - 1)];
    }
}
