namespace Proxy.Balancers.Tests.Support;

/// <summary>Returns the scripted values in order (each checked against the bound asked for), then fails loudly.</summary>
internal sealed class ScriptedRandomSource(params long[] values) : IRandomSource
{
    private readonly Queue<long> _values = new(values);

    public int Calls { get; private set; }

    public void Enqueue(params long[] values)
    {
        foreach (long value in values) _values.Enqueue(value);
    }

    public int NextInt32(int maxExclusive) => (int)Take(maxExclusive);

    public long NextInt64(long maxExclusive) => Take(maxExclusive);

    private long Take(long maxExclusive)
    {
        Calls++;
        if (!_values.TryDequeue(out long value)) throw new InvalidOperationException("The script ran out of random numbers.");
        if (value < 0 || value >= maxExclusive) throw new InvalidOperationException($"Scripted {value} is outside [0, {maxExclusive}).");
        return value;
    }
}
