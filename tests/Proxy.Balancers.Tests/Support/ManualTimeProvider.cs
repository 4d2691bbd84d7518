namespace Proxy.Balancers.Tests.Support;

/// <summary>A clock that moves only when told; one tick is one microsecond.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _timestamp = 1_000_000;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

    public static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * 1_000_000);

    public void Advance(TimeSpan duration) => Interlocked.Add(ref _timestamp, Ticks(duration));
}
