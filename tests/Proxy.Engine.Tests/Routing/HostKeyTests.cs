using System.Text;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Tests.Routing;

public sealed class HostKeyTests
{
    // Letters of both cases, the bytes that case-folding by bit 5 would merge with them ('@' and '`', '[' and '{'),
    // host punctuation, and bytes above 0x7F.
    private static readonly byte[] Alphabet = "aAzZmM09.-:[]@`{_"u8.ToArray().Concat(new byte[] { 0xC1, 0xE1, 0xFF }).ToArray();

    [Fact]
    public void EqualsLowerCase_RandomNames_AgreesWithAByteByByteComparison()
    {
        var random = new Random(3);
        for (int sample = 0; sample < 20_000; sample++)
        {
            byte[] name = RandomName(random, random.Next(0, 40));
            byte[] key = [.. name.Select(LowerAscii)];
            // Often the key itself, sometimes with one byte changed.
            if (random.Next(3) == 0 && key.Length > 0) key[random.Next(key.Length)] = LowerAscii(Alphabet[random.Next(Alphabet.Length)]);
            if (random.Next(10) == 0) key = [.. key, (byte)'a'];
            bool expected = name.Length == key.Length && name.Select(LowerAscii).SequenceEqual(key);
            Assert.True(expected == HostKey.EqualsLowerCase(name, key), $"{Encoding.Latin1.GetString(name)} / {Encoding.Latin1.GetString(key)}");
        }
    }

    [Fact]
    public void Hash_NamesEqualButForAsciiCase_HashAlike()
    {
        var random = new Random(5);
        for (int sample = 0; sample < 20_000; sample++)
        {
            byte[] name = RandomName(random, random.Next(0, 40));
            byte[] recased = [.. name.Select(b => random.Next(2) == 0 ? LowerAscii(b) : UpperAscii(b))];
            Assert.Equal(HostKey.Hash(name), HostKey.Hash(recased));
        }
    }

    [Fact]
    public void Hash_DistinctNames_RarelyCollide()
    {
        var hashes = new HashSet<uint>();
        for (int i = 0; i < 10_000; i++) hashes.Add(HostKey.Hash(Encoding.ASCII.GetBytes($"svc{i}.example.com")));
        Assert.True(hashes.Count > 9_990, $"{10_000 - hashes.Count} collisions");
    }

    private static byte[] RandomName(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])];

    private static byte LowerAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;

    private static byte UpperAscii(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
}
