namespace Proxy.Engine.Routing.RegexDfa;

/// <summary>A set of bytes (0-255), 256 bits by value.</summary>
internal readonly record struct ByteSet(ulong Bits0, ulong Bits1, ulong Bits2, ulong Bits3)
{
    public static ByteSet Empty => default;

    public static ByteSet All => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>The bytes from <paramref name="first"/> to <paramref name="last"/>, clipped to 0-255 (a char above 255 never occurs in Latin-1 text).</summary>
    public static ByteSet Range(int first, int last)
    {
        ByteSet set = Empty;
        for (int b = Math.Max(first, 0); b <= Math.Min(last, 255); b++) set = set.With(b);
        return set;
    }

    public static ByteSet Where(Func<char, bool> predicate)
    {
        ByteSet set = Empty;
        for (int b = 0; b <= 255; b++)
        {
            if (predicate((char)b)) set = set.With(b);
        }
        return set;
    }

    public bool Contains(int b) => b switch
    {
        < 64 => (Bits0 >> b & 1) != 0,
        < 128 => (Bits1 >> (b - 64) & 1) != 0,
        < 192 => (Bits2 >> (b - 128) & 1) != 0,
        _ => (Bits3 >> (b - 192) & 1) != 0,
    };

    public ByteSet With(int b) => b switch
    {
        < 64 => this with { Bits0 = Bits0 | 1UL << b },
        < 128 => this with { Bits1 = Bits1 | 1UL << (b - 64) },
        < 192 => this with { Bits2 = Bits2 | 1UL << (b - 128) },
        _ => this with { Bits3 = Bits3 | 1UL << (b - 192) },
    };

    public ByteSet Union(ByteSet other) => new(Bits0 | other.Bits0, Bits1 | other.Bits1, Bits2 | other.Bits2, Bits3 | other.Bits3);

    public ByteSet Complement() => new(~Bits0, ~Bits1, ~Bits2, ~Bits3);
}
