namespace Proxy.Engine.Routing;

/// <summary>
/// A hash of a request key that is the same in every process and on every machine (FNV-1a 64 with a final
/// avalanche), so that every proxy of a fleet, and the same proxy after a restart, sends one key to one side of a
/// split. Pure, allocation-free. Not a defence against chosen keys: a client that picks its key picks its side.
/// </summary>
internal static class StableKeyHash
{
    public static ulong Hash64(ReadOnlySpan<byte> key)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in key) hash = (hash ^ b) * 1099511628211UL;
        // MurmurHash3's fmix64: FNV's low bits are weak, and the caller keeps the high ones.
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>The key's point in [0, <paramref name="range"/>), uniform for uniform hashes (Lemire's multiply-shift).</summary>
    public static int PointIn(ReadOnlySpan<byte> key, int range) => (int)(((Hash64(key) >> 32) * (ulong)range) >> 32);
}
