using System.Runtime.CompilerServices;

namespace Proxy.Engine.Routing;

/// <summary>
/// A host name as <see cref="HostTable"/> keys it: hashed and compared a word of eight bytes at a time, with
/// ASCII case ignored (<see cref="Swar.FoldCase"/> for the hash, <see cref="Swar.LowerCase"/> on the request's side
/// of a comparison), so no lower-case copy is made. When the length is not a multiple of eight, the last word overlaps
/// the one before. Pure and thread-safe.
/// </summary>
/// <remarks>Not inside the generic table: static methods of a shared generic class need its type handle, and are not inlined.</remarks>
internal static class HostKey
{
    private const ulong K = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// A fast 32-bit mix of the bytes, ASCII case ignored (and a few more pairs of bytes merged, see
    /// <see cref="Swar.FoldCase"/>: only more collisions, which the comparison settles). The length is mixed in first,
    /// so overlapping words are harmless.
    /// </summary>
    public static uint Hash(ReadOnlySpan<byte> name)
    {
        ulong h = (ulong)name.Length * K;
        if (name.Length < sizeof(ulong)) return Finish(Mix(h, Swar.FoldCase(Swar.ReadShort(name))));
        int last = name.Length - sizeof(ulong);
        for (int i = 0; i < last; i += sizeof(ulong)) h = Mix(h, Swar.FoldCase(Swar.Read(name, i)));
        return Finish(Mix(h, Swar.FoldCase(Swar.Read(name, last))));
    }

    /// <summary>Whether <paramref name="name"/> equals <paramref name="lowerCaseKey"/> with ASCII case ignored.</summary>
    public static bool EqualsLowerCase(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCaseKey)
    {
        if (name.Length != lowerCaseKey.Length) return false;
        if (name.Length < sizeof(ulong)) return Swar.LowerCase(Swar.ReadShort(name)) == Swar.ReadShort(lowerCaseKey);
        int last = name.Length - sizeof(ulong);
        for (int i = 0; i < last; i += sizeof(ulong))
        {
            if (Swar.LowerCase(Swar.Read(name, i)) != Swar.Read(lowerCaseKey, i)) return false;
        }
        return Swar.LowerCase(Swar.Read(name, last)) == Swar.Read(lowerCaseKey, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h, ulong word)
    {
        h = (h ^ word) * K;
        return h ^ (h >> 29);
    }

    private static uint Finish(ulong h) => (uint)(h ^ (h >> 32));
}
