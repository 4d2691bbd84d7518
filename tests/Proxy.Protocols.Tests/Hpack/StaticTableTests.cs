using Proxy.Protocols.Hpack;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Hpack;

public class StaticTableTests
{
    [Theory]
    [InlineData(1, ":authority", "")]
    [InlineData(2, ":method", "GET")]
    [InlineData(3, ":method", "POST")]
    [InlineData(4, ":path", "/")]
    [InlineData(7, ":scheme", "https")]
    [InlineData(8, ":status", "200")]
    [InlineData(14, ":status", "500")]
    [InlineData(16, "accept-encoding", "gzip, deflate")]
    [InlineData(24, "cache-control", "")]
    [InlineData(33, "date", "")]
    [InlineData(46, "location", "")]
    [InlineData(55, "set-cookie", "")]
    [InlineData(61, "www-authenticate", "")]
    public void GetNameAndValue_Rfc7541AppendixA_Entries(int index, string name, string value)
    {
        Assert.Equal(name, Text(StaticTable.GetName(index)));
        Assert.Equal(value, Text(StaticTable.GetValue(index)));
    }

    [Fact]
    public void FindName_EveryEntry_FindsTheFirstEntryWithItsName()
    {
        for (int index = 1; index <= StaticTable.Count; index++)
        {
            int found = StaticTable.FindName(StaticTable.GetName(index));
            Assert.True(found <= index);
            Assert.Equal(Text(StaticTable.GetName(index)), Text(StaticTable.GetName(found)));
        }
    }

    [Theory]
    [InlineData(":status", "404", 13, 8)]
    [InlineData(":status", "302", 0, 8)]
    [InlineData(":method", "POST", 3, 2)]
    [InlineData("accept-encoding", "gzip, deflate", 16, 16)]
    [InlineData("accept-encoding", "br", 0, 16)]
    [InlineData("x-custom", "1", 0, 0)]
    [InlineData("Content-Type", "", 0, 0)]
    public void Find_NameAndValue_FullMatchOrNameMatch(string name, string value, int index, int nameIndex)
    {
        Assert.Equal(index, StaticTable.Find(Bytes(name), Bytes(value), out int foundNameIndex));
        Assert.Equal(nameIndex, foundNameIndex);
    }
}
