using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Tests.Config;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("0s", 0)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("24h", 86_400_000)]
    public void TryParse_ValidDuration_ReturnsIt(string text, long milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan value, out string problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("", "is empty; write a duration like \"250ms\", \"5s\", \"2m\", \"1h\" or \"1m30s\"")]
    [InlineData("30", "has no unit; write it like \"30s\" (units: ms, s, m, h)")]
    [InlineData("1m30", "is not a duration; write it like \"250ms\", \"5s\", \"2m\", \"1h\" or \"1m30s\"")]
    [InlineData("-5s", "is negative; a duration is at least 0")]
    [InlineData("1.5s", "has a fraction; write whole numbers of a smaller unit, like \"1500ms\" for 1.5s")]
    [InlineData("5S", "has the unknown unit `S`; use one of ms, s, m, h")]
    [InlineData("1d", "has the unknown unit `d`; use one of ms, s, m, h")]
    [InlineData("30s1m", "repeats or reorders units; write each unit once, largest first, like \"1m30s\"")]
    [InlineData("1s1s", "repeats or reorders units; write each unit once, largest first, like \"1m30s\"")]
    [InlineData("24h1ms", "is longer than the 24h allowed for any duration")]
    [InlineData("99999999999999999999h", "is longer than the 24h allowed for any duration")]
    public void TryParse_InvalidDuration_SaysWhy(string text, string expected)
    {
        Assert.False(DurationParser.TryParse(text, out _, out string problem));
        Assert.Equal(expected, problem);
    }
}
