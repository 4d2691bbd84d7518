namespace Proxy.Health.Tests;

public class StatusCodeRangesTests
{
    [Fact]
    public void Parse_SingleRange_ContainsExactlyItsBounds()
    {
        var ranges = StatusCodeRanges.Parse("200-399");

        Assert.False(ranges.Contains(199));
        Assert.True(ranges.Contains(200));
        Assert.True(ranges.Contains(301));
        Assert.True(ranges.Contains(399));
        Assert.False(ranges.Contains(400));
    }

    [Fact]
    public void Parse_CodesAndRanges_ContainsEachItem()
    {
        var ranges = StatusCodeRanges.Parse(" 200 , 204,300 - 399 ");

        Assert.True(ranges.Contains(200));
        Assert.False(ranges.Contains(201));
        Assert.True(ranges.Contains(204));
        Assert.True(ranges.Contains(300));
        Assert.True(ranges.Contains(399));
        Assert.False(ranges.Contains(400));
        Assert.Equal("200 , 204,300 - 399", ranges.ToString());
    }

    [Fact]
    public void Parse_WholeHttpRange_ContainsBothEnds()
    {
        var ranges = StatusCodeRanges.Parse("100-599");

        Assert.True(ranges.Contains(100));
        Assert.True(ranges.Contains(599));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Contains_OutsideHttpCodes_IsFalse(int code)
    {
        Assert.False(StatusCodeRanges.Parse("100-599").Contains(code));
    }

    [Theory]
    [InlineData("2x0", "\"2x0\" is not a status code")]
    [InlineData("200-", "\"\" is not a status code")]
    [InlineData("+200", "\"+200\" is not a status code")]
    [InlineData("600", "600 is not an HTTP status code")]
    [InlineData("99-200", "99 is not an HTTP status code")]
    [InlineData("399-200", "the range \"399-200\" ends before it starts")]
    [InlineData("200,,300", "has an empty item")]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    public void TryParse_Malformed_ExplainsWhatIsWrong(string text, string expected)
    {
        bool parsed = StatusCodeRanges.TryParse(text, out StatusCodeRanges? ranges, out string? error);

        Assert.False(parsed);
        Assert.Null(ranges);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Malformed_ThrowsFormatExceptionWithSentence()
    {
        var exception = Assert.Throws<FormatException>(() => StatusCodeRanges.Parse("abc"));

        Assert.Contains("\"abc\" is not a status code", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_Is200To399()
    {
        Assert.Equal("200-399", StatusCodeRanges.Default.ToString());
        Assert.True(StatusCodeRanges.Default.Contains(302));
        Assert.False(StatusCodeRanges.Default.Contains(404));
    }
}
