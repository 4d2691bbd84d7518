using System.Text;

namespace Proxy.Balancers.Tests;

public class StableHashTests
{
    // Reference values from System.IO.Hashing.XxHash64 (checked over every length 0..199 while writing StableHash).
    [Theory]
    [InlineData("", 0xEF46DB3751D8E999)]
    [InlineData("a", 0xD24EC4F1A98C6E5B)]
    [InlineData("abc", 0x44BC2CF5AD770999)]
    [InlineData("user-42", 0x397E9D3A76AF7C81)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789", 0xA76190C3ACF08A1C)]
    public void Hash64_KnownInput_MatchesXxh64(string input, ulong expected)
    {
        Assert.Equal(expected, StableHash.Hash64(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void Hash64_DifferentSeeds_Differ()
    {
        byte[] key = Encoding.ASCII.GetBytes("10.0.0.1:80");

        Assert.NotEqual(StableHash.Hash64(key, 1), StableHash.Hash64(key, 2));
    }
}
