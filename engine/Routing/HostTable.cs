using System.Buffers.Binary;
using System.Text;

namespace Proxy.Engine.Routing;

/// <summary>
/// Host names (or wildcard suffixes) to values, looked up by the request's bytes: open addressing with linear
/// probing over a power-of-two table at most half full, keys stored lower-case, the caller's host lower-cased
/// before the lookup. No string is made, nothing allocates. Built once per snapshot; read-only and thread-safe after.
/// </summary>
/// <remarks>
/// The hash need not resist chosen keys: the keys come from the configuration, so a request can only land on
/// the probe runs the configuration made, whatever host it sends.
/// </remarks>
internal sealed class HostTable<TValue>
    where TValue : class
{
    private readonly int[] _slots;          // entry index + 1; 0 = empty
    private readonly uint[] _hashes;        // per entry
    private readonly byte[][] _keys;        // per entry, lower-case
    private readonly TValue[] _values;      // per entry
    private readonly int _shift;
    private readonly ulong[] _lengths = new ulong[4];    // which key lengths (below 256) exist: most misses need no hash

    /// <param name="entries">Distinct lower-case keys and their values.</param>
    public HostTable(IReadOnlyList<KeyValuePair<byte[], TValue>> entries)
    {
        int bits = 1;
        while ((1 << bits) < entries.Count * 2) bits++;
        _slots = new int[1 << bits];
        _shift = 32 - bits;
        _hashes = new uint[entries.Count];
        _keys = new byte[entries.Count][];
        _values = new TValue[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            (byte[] key, TValue value) = (entries[i].Key, entries[i].Value);
            if (!key.AsSpan().SequenceEqual(LowerCase(key))) throw new ArgumentException("Keys must be lower-case.", nameof(entries));
            _keys[i] = key;
            _values[i] = value;
            if (key.Length < 256) _lengths[key.Length >> 6] |= 1UL << key.Length;
            _hashes[i] = Hash(key);
            int slot = SlotOf(_hashes[i]);
            while (_slots[slot] != 0)
            {
                if (_keys[_slots[slot] - 1].AsSpan().SequenceEqual(key)) throw new ArgumentException("Keys must be distinct.", nameof(entries));
                slot = (slot + 1) & (_slots.Length - 1);
            }
            _slots[slot] = i + 1;
        }
    }

    public int Count => _values.Length;

    /// <summary>The value of <paramref name="lowerCaseKey"/>, or null.</summary>
    public TValue? Find(ReadOnlySpan<byte> lowerCaseKey)
    {
        if (lowerCaseKey.Length >= 256 || (_lengths[lowerCaseKey.Length >> 6] & (1UL << lowerCaseKey.Length)) == 0) return null;
        uint hash = Hash(lowerCaseKey);
        for (int slot = SlotOf(hash); ; slot = (slot + 1) & (_slots.Length - 1))
        {
            int entry = _slots[slot] - 1;
            if (entry < 0) return null;
            if (_hashes[entry] == hash && lowerCaseKey.SequenceEqual(_keys[entry])) return _values[entry];
        }
    }

    /// <summary>A fast 32-bit mix of the bytes, eight at a time.</summary>
    public static uint Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong K = 0x9E3779B97F4A7C15UL;
        ulong h = (ulong)bytes.Length * K;
        while (bytes.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * K;
            h ^= h >> 29;
            bytes = bytes[8..];
        }
        if (bytes.Length >= 4)
        {
            h = (h ^ BinaryPrimitives.ReadUInt32LittleEndian(bytes)) * K;
            h ^= h >> 29;
            bytes = bytes[4..];
        }
        foreach (byte b in bytes) h = (h ^ b) * K;
        h ^= h >> 32;
        return (uint)h;
    }

    private int SlotOf(uint hash) => (int)((hash * 0x9E3779B9u) >> _shift);

    private static byte[] LowerCase(byte[] key)
    {
        byte[] lower = new byte[key.Length];
        Ascii.ToLower(key, lower, out _);
        return lower;
    }
}
