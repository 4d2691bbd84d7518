using System.Text;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Tests.Routing;

public sealed class HostTableTests
{
    private static readonly PathIndex A = new PathIndexBuilder().Build(), B = new PathIndexBuilder().Build(), C = new PathIndexBuilder().Build();

    private static HostTable Table() => new(
    [
        new(Encoding.ASCII.GetBytes("a.com"), A),
        new(Encoding.ASCII.GetBytes("api.example.com"), B),
        new(Encoding.ASCII.GetBytes(".example.com"), C),
    ]);

    [Theory]
    [InlineData("a.com")]
    [InlineData("A.COM")]
    [InlineData("Api.Example.COM")]
    [InlineData(".EXAMPLE.com")]
    public void Find_AnyAsciiCaseOfAKey_FindsIt(string name)
    {
        Assert.NotNull(Table().Find(Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("a.co")]
    [InlineData("b.com")]
    [InlineData("a.com.")]
    [InlineData("api.example.con")]
    [InlineData("")]
    public void Find_OtherNames_FindsNothing(string name)
    {
        Assert.Null(Table().Find(Encoding.ASCII.GetBytes(name)));
    }

    [Fact]
    public void Find_NameWithLettersPlus0x80_FindsNothing()
    {
        // 'M' + 0x80 and 'a' + 0x80: lower-casing must not take them for letters.
        Assert.Null(Table().Find([(byte)'a', (byte)'.', (byte)'c', (byte)'o', 0xCD]));
        Assert.Null(Table().Find([0xE1, (byte)'.', (byte)'c', (byte)'o', (byte)'m']));
    }

    [Fact]
    public void Find_ManyKeys_FindsEachAndNoOther()
    {
        var entries = Enumerable.Range(0, 5_000).Select(i => new KeyValuePair<byte[], PathIndex>(Encoding.ASCII.GetBytes($"svc{i}.example.com"), new PathIndexBuilder().Build())).ToList();
        var table = new HostTable(entries);

        foreach (var (key, value) in entries) Assert.Same(value, table.Find(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(key).ToUpperInvariant())));
        for (int i = 5_000; i < 6_000; i++) Assert.Null(table.Find(Encoding.ASCII.GetBytes($"svc{i}.example.com")));
    }

    [Fact]
    public void KeyLengthsLongestFirst_EachLengthOnce()
    {
        Assert.Equal([15, 12, 5], Table().KeyLengthsLongestFirst.ToArray());
    }

    [Fact]
    public void Constructor_UpperCaseKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HostTable([new(Encoding.ASCII.GetBytes("A.com"), A)]));
    }
}
