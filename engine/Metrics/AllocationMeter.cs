namespace Proxy.Engine.Metrics;

/// <summary>
/// Bytes allocated per proxied request, from <see cref="GC.GetTotalAllocatedBytes"/> over requests served: since
/// start, and over the window since the previous reading (so a load run bracketed by two readings measures
/// exactly itself, without start-up allocations). Read on the admin path only.
/// </summary>
internal sealed class AllocationMeter
{
    private readonly Lock _lock = new();
    private readonly long _startBytes = GC.GetTotalAllocatedBytes(precise: true);
    private long _windowBytes, _windowRequests;

    public AllocationMeter() => _windowBytes = _startBytes;

    public AllocationReading Read(long requestsSoFar)
    {
        lock (_lock)
        {
            long now = GC.GetTotalAllocatedBytes(precise: true);
            var reading = new AllocationReading(
                TotalBytes: now - _startBytes,
                TotalRequests: requestsSoFar,
                WindowBytes: now - _windowBytes,
                WindowRequests: requestsSoFar - _windowRequests);
            _windowBytes = now;
            _windowRequests = requestsSoFar;
            return reading;
        }
    }
}

/// <summary>One reading of <see cref="AllocationMeter"/>.</summary>
internal readonly record struct AllocationReading(long TotalBytes, long TotalRequests, long WindowBytes, long WindowRequests)
{
    public double BytesPerRequest => TotalRequests == 0 ? 0 : (double)TotalBytes / TotalRequests;
    public double WindowBytesPerRequest => WindowRequests == 0 ? 0 : (double)WindowBytes / WindowRequests;
}
