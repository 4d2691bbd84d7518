using System.Text;

namespace Proxy.Engine.Routing;

/// <summary>
/// Host names (or wildcard suffixes) to their routes' <see cref="PathIndex"/>, looked up by the request's bytes with
/// ASCII case ignored: open addressing with linear probing over a power-of-two table at most half full, keys stored
/// lower-case, the request's bytes hashed and compared eight at a time with case folded on the fly
/// (<see cref="HostKey"/>), so no lower-case copy is made. No string is made, nothing allocates. Built once per
/// snapshot; read-only and thread-safe after.
/// </summary>
/// <remarks>
/// The hash need not resist chosen keys: the keys come from the configuration, so a request can only land on
/// the probe runs the configuration made, whatever host it sends. Not generic: code shared between reference types
/// calls static helpers through the type's handle, and inlines less on the request path.
/// </remarks>
internal sealed class HostTable
{
    private readonly int[] _slots;          // entry index + 1; 0 = empty
    private readonly Entry[] _entries;
    private readonly int _shift;
    private readonly ulong[] _lengths = new ulong[4];    // which key lengths (below 256) exist: most misses need no hash
    private readonly int[] _keyLengthsLongestFirst;

    /// <param name="entries">Distinct lower-case keys and their values.</param>
    public HostTable(IReadOnlyList<KeyValuePair<byte[], PathIndex>> entries)
    {
        int bits = 1;
        while ((1 << bits) < entries.Count * 2) bits++;
        _slots = new int[1 << bits];
        _shift = 32 - bits;
        _entries = new Entry[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            (byte[] key, PathIndex value) = (entries[i].Key, entries[i].Value);
            if (!key.AsSpan().SequenceEqual(LowerCase(key))) throw new ArgumentException("Keys must be lower-case.", nameof(entries));
            _entries[i] = new Entry(HostKey.Hash(key), key, value);
            if (key.Length < 256) _lengths[key.Length >> 6] |= 1UL << key.Length;
            int slot = SlotOf(_entries[i].Hash);
            while (_slots[slot] != 0)
            {
                if (_entries[_slots[slot] - 1].Key.AsSpan().SequenceEqual(key)) throw new ArgumentException("Keys must be distinct.", nameof(entries));
                slot = (slot + 1) & (_slots.Length - 1);
            }
            _slots[slot] = i + 1;
        }
        _keyLengthsLongestFirst = [.. entries.Select(entry => entry.Key.Length).Distinct().OrderDescending()];
    }

    public int Count => _entries.Length;

    /// <summary>The value of the key that equals <paramref name="name"/> with ASCII case ignored, or null.</summary>
    public PathIndex? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length >= 256 || (_lengths[name.Length >> 6] & (1UL << name.Length)) == 0) return null;
        uint hash = HostKey.Hash(name);
        for (int slot = SlotOf(hash); ; slot = (slot + 1) & (_slots.Length - 1))
        {
            int index = _slots[slot] - 1;
            if (index < 0) return null;
            ref readonly Entry entry = ref _entries[index];
            if (entry.Hash == hash && HostKey.EqualsLowerCase(name, entry.Key)) return entry.Value;
        }
    }

    /// <summary>
    /// The lengths of the keys, each once, longest first: lets a caller look up only the suffixes of a host that some
    /// key is as long as (see <see cref="RouteMatcher"/>'s wildcards).
    /// </summary>
    public ReadOnlySpan<int> KeyLengthsLongestFirst => _keyLengthsLongestFirst;

    private int SlotOf(uint hash) => (int)((hash * 0x9E3779B9u) >> _shift);

    private static byte[] LowerCase(byte[] key)
    {
        byte[] lower = new byte[key.Length];
        Ascii.ToLower(key, lower, out _);
        return lower;
    }

    private readonly record struct Entry(uint Hash, byte[] Key, PathIndex Value);
}
