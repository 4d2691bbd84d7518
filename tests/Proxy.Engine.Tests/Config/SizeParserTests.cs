using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Tests.Config;

public sealed class SizeParserTests
{
    [Theory]
    [InlineData("512B", 512)]
    [InlineData("512", 512)]
    [InlineData("16KiB", 16 * 1024)]
    [InlineData("16 KiB", 16 * 1024)]
    [InlineData("16kib", 16 * 1024)]
    [InlineData("10MiB", 10 * 1024 * 1024)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("16KB", 16_000)]
    [InlineData("10MB", 10_000_000)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("0", 0)]
    public void TryParse_ValidSize_ReturnsBytes(string text, long bytes)
    {
        Assert.True(SizeParser.TryParse(text, out long value, out string problem), problem);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("", "is not a size; write it like \"512B\", \"16KiB\", \"10MiB\" or \"1GiB\", or a number of bytes")]
    [InlineData("KiB", "is not a size; write it like \"512B\", \"16KiB\", \"10MiB\" or \"1GiB\", or a number of bytes")]
    [InlineData("-1KiB", "is negative; a size is at least 0")]
    [InlineData("1.5MiB", "has a fraction; write whole numbers of a smaller unit, like \"1536KiB\" for 1.5MiB")]
    [InlineData("16k", "has the unknown unit `k`; use B, KiB, MiB or GiB (or KB, MB, GB for powers of 1000)")]
    [InlineData("1TiB", "has the unknown unit `TiB`; use B, KiB, MiB or GiB (or KB, MB, GB for powers of 1000)")]
    [InlineData("9999999999999GiB", "is too large")]
    [InlineData("99999999999999999999", "is too large")]
    public void TryParse_InvalidSize_SaysWhy(string text, string expected)
    {
        Assert.False(SizeParser.TryParse(text, out _, out string problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1023, "1023B")]
    [InlineData(1024, "1KiB")]
    [InlineData(1536 * 1024, "1536KiB")]
    [InlineData(1L << 20, "1MiB")]
    [InlineData(3L << 30, "3GiB")]
    public void Format_Bytes_UsesTheLargestExactUnit(long bytes, string expected)
    {
        Assert.Equal(expected, SizeParser.Format(bytes));
    }
}
