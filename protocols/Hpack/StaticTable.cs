using System.Text;

namespace Proxy.Protocols.Hpack;

/// <summary>
/// The HPACK static table (RFC 7541 §2.3.1, Appendix A): 61 fixed entries, indices 1..61, before the dynamic table in
/// the index space. Lookups by index are array reads; lookups by name compare against the few entries of the same name
/// length. Thread-safe (immutable); allocates nothing after it is built once.
/// </summary>
public static class StaticTable
{
    /// <summary>The number of entries; dynamic table indices start after it.</summary>
    public const int Count = 61;

    private static readonly byte[][] Names = new byte[Count + 1][];
    private static readonly byte[][] Values = new byte[Count + 1][];

    /// <summary>For each name length, the indices of the entries whose name has it, ascending (so the first of a name comes first).</summary>
    private static readonly int[][] IndicesByNameLength;

    static StaticTable()
    {
        (string Name, string Value)[] entries =
        [
            (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
            (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
            (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
            ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
            ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
            ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
            ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
            ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
            ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
            ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
            ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
            ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
            ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
        ];

        Names[0] = Values[0] = [];
        int maxNameLength = 0;
        for (int i = 0; i < Count; i++)
        {
            Names[i + 1] = Encoding.ASCII.GetBytes(entries[i].Name);
            Values[i + 1] = Encoding.ASCII.GetBytes(entries[i].Value);
            maxNameLength = Math.Max(maxNameLength, entries[i].Name.Length);
        }

        var byLength = new List<int>[maxNameLength + 1];
        for (int length = 0; length <= maxNameLength; length++) byLength[length] = [];
        for (int index = 1; index <= Count; index++) byLength[Names[index].Length].Add(index);
        IndicesByNameLength = new int[maxNameLength + 1][];
        for (int length = 0; length <= maxNameLength; length++) IndicesByNameLength[length] = [.. byLength[length]];
    }

    /// <summary>The name of entry <paramref name="index"/> (1..61), lowercase.</summary>
    public static ReadOnlySpan<byte> GetName(int index) => Names[index];

    /// <summary>The value of entry <paramref name="index"/> (1..61); empty for the entries that have a name only.</summary>
    public static ReadOnlySpan<byte> GetValue(int index) => Values[index];

    /// <summary>The index of the first entry named exactly <paramref name="name"/> (lowercase), or 0.</summary>
    public static int FindName(ReadOnlySpan<byte> name)
    {
        if (name.Length >= IndicesByNameLength.Length) return 0;
        foreach (int index in IndicesByNameLength[name.Length])
        {
            if (name.SequenceEqual(Names[index])) return index;
        }
        return 0;
    }

    /// <summary>
    /// The index of the entry with exactly <paramref name="name"/> and <paramref name="value"/>, or 0; then
    /// <paramref name="nameIndex"/> is the first entry with the name (or 0), for a literal with an indexed name.
    /// </summary>
    public static int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = FindName(name);
        if (nameIndex == 0) return 0;
        // Entries of one name are adjacent (RFC 7541 Appendix A).
        for (int index = nameIndex; index <= Count && Names[index].AsSpan().SequenceEqual(Names[nameIndex]); index++)
        {
            if (value.SequenceEqual(Values[index])) return index;
        }
        return 0;
    }
}
