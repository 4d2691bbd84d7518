using System.Text;
using Proxy.Engine.Tracing;

namespace Proxy.Engine.Tests.Tracing;

/// <summary>traceparent validation and generation, with the cases of W3C Trace Context Level 1 §3.2 and §4.3.</summary>
public sealed class TraceParentTests
{
    private const string Example = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Theory]
    [InlineData(Example)]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")]          // not sampled
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff")]          // unknown flags are ignored, not refused
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]          // a future version, same length
    [InlineData("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-adds")]
    public void IsValid_SpecExamples_Accepted(string value) => Assert.True(TraceParent.IsValid(Encoding.ASCII.GetBytes(value)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version ff is invalid")]
    [InlineData("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version not hex")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "uppercase trace-id")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", "uppercase parent-id")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01", "all-zero trace-id")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "all-zero parent-id")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", "one byte short")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", "version 00 with anything after the flags")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x", "flags not hex")]
    [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "wrong separator")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", "dash in the wrong place")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01", "parent-id not hex")]
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", "future version: no dash after the flags")]
    [InlineData(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "leading space (fields arrive trimmed)")]
    public void IsValid_BrokenValues_Refused(string value, string why) =>
        Assert.False(TraceParent.IsValid(Encoding.ASCII.GetBytes(value)), why);

    [Fact]
    public void IsValid_FutureVersionLongerThanTheLimit_Refused()
    {
        string atLimit = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-" + new string('a', TraceParent.MaxLength - 56);

        Assert.True(TraceParent.IsValid(Encoding.ASCII.GetBytes(atLimit)));
        Assert.False(TraceParent.IsValid(Encoding.ASCII.GetBytes(atLimit + "a")));
    }

    [Fact]
    public void Parts_OfTheSpecExample_AreItsIdsAndFlags()
    {
        byte[] value = Encoding.ASCII.GetBytes(Example);

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Encoding.ASCII.GetString(TraceParent.TraceIdOf(value)));
        Assert.Equal("00f067aa0ba902b7", Encoding.ASCII.GetString(TraceParent.ParentIdOf(value)));
        Assert.True(TraceParent.IsSampled(value));
        Assert.False(TraceParent.IsSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02"u8));
    }

    [Theory]
    [InlineData(true, "01")]
    [InlineData(false, "00")]
    public void Generate_WritesAValidVersion00ValueWithTheSampledFlag(bool sampled, string flags)
    {
        var value = new byte[TraceParent.Length];

        TraceParent.Generate(value, new Random(7), sampled);

        string text = Encoding.ASCII.GetString(value);
        Assert.True(TraceParent.IsValid(value), text);
        Assert.StartsWith("00-", text, StringComparison.Ordinal);
        Assert.EndsWith("-" + flags, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ManyTimes_GivesDistinctTraceIds()
    {
        var random = new Random(1);
        var seen = new HashSet<string>();
        var value = new byte[TraceParent.Length];
        for (int i = 0; i < 10_000; i++)
        {
            TraceParent.Generate(value, random, sampled: true);
            Assert.True(seen.Add(Encoding.ASCII.GetString(TraceParent.TraceIdOf(value))));
        }
    }

    [Fact]
    public void Generate_RandomSourceOfZeros_StillWritesNonZeroIds()
    {
        var value = new byte[TraceParent.Length];

        TraceParent.Generate(value, new ZeroRandom(), sampled: false);

        Assert.True(TraceParent.IsValid(value));
        Assert.Equal("00-00000000000000000000000000000001-0000000000000001-00", Encoding.ASCII.GetString(value));
    }

    private sealed class ZeroRandom : Random
    {
        public override void NextBytes(Span<byte> buffer) => buffer.Clear();
    }
}
