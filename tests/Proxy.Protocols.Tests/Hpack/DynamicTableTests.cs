using CsCheck;
using Proxy.Protocols.Hpack;
using static Proxy.Protocols.Tests.Hpack.HpackHarness;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Hpack;

public class DynamicTableTests
{
    [Fact]
    public void Add_Entries_NewestFirstAndSizeCountsThirtyTwoEach()
    {
        var table = new DynamicTable(4096);

        table.Add(Bytes(":authority"), Bytes("www.example.com"));
        table.Add(Bytes("cache-control"), Bytes("no-cache"));

        Assert.Equal("[1] cache-control: no-cache\n[2] :authority: www.example.com\nsize 110", TableOf(table));
    }

    [Fact]
    public void Add_BeyondMaxSize_EvictsOldestFirst()
    {
        var table = new DynamicTable(100);
        table.Add(Bytes("a"), Bytes("1"));   // 34
        table.Add(Bytes("b"), Bytes("2"));   // 68
        table.Add(Bytes("c"), Bytes("3"));   // 102 > 100: "a" goes

        Assert.Equal("[1] c: 3\n[2] b: 2\nsize 68", TableOf(table));
    }

    [Fact]
    public void Add_EntryExactlyMaxSize_EvictsEverythingElse()
    {
        var table = new DynamicTable(100);
        table.Add(Bytes("a"), Bytes("1"));

        table.Add(Bytes("n"), new byte[67]);

        Assert.Equal(1, table.Count);
        Assert.Equal(100, table.Size);
    }

    [Fact]
    public void Add_EntryLargerThanMaxSize_EmptiesTheTableWithoutError()
    {
        var table = new DynamicTable(100);
        table.Add(Bytes("a"), Bytes("1"));

        table.Add(Bytes("n"), new byte[68]);

        Assert.Equal("size 0", TableOf(table));
    }

    [Fact]
    public void Add_NameFromAnEntryThisInsertionEvicts_NameKept()
    {
        // RFC 7541 §4.4: the name may reference an entry that is evicted when the new one is added.
        var table = new DynamicTable(100);
        table.Add(Bytes("x-very-long-header-name-for-the-test"), Bytes("v"));

        table.Add(table.GetName(1), Bytes("a new value that forces eviction"));

        Assert.Equal("[1] x-very-long-header-name-for-the-test: a new value that forces eviction\nsize 100", TableOf(table));
    }

    [Fact]
    public void SetMaxSize_Lower_EvictsUntilItFits()
    {
        var table = new DynamicTable(4096);
        table.Add(Bytes("a"), Bytes("1"));
        table.Add(Bytes("b"), Bytes("2"));

        table.SetMaxSize(40);
        Assert.Equal("[1] b: 2\nsize 34", TableOf(table));
        table.SetMaxSize(0);
        Assert.Equal("size 0", TableOf(table));
        Assert.Equal(0, table.MaxSize);
    }

    [Fact]
    public void SetMaxSize_AboveAllowed_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicTable(4096).SetMaxSize(4097));
    }

    [Fact]
    public void Find_FullMatchAndNameMatch_NewestFirst()
    {
        var table = new DynamicTable(4096);
        table.Add(Bytes("x-a"), Bytes("1"));
        table.Add(Bytes("x-b"), Bytes("2"));
        table.Add(Bytes("x-a"), Bytes("3"));

        Assert.Equal(3, table.Find(Bytes("x-a"), Bytes("1"), out int nameIndex));
        Assert.Equal(1, nameIndex);
        Assert.Equal(0, table.Find(Bytes("x-a"), Bytes("9"), out nameIndex));
        Assert.Equal(1, nameIndex);
        Assert.Equal(0, table.Find(Bytes("x-c"), Bytes("1"), out nameIndex));
        Assert.Equal(0, nameIndex);
    }

    [Fact]
    public void AddAndSetMaxSize_RandomOperations_AgreeWithAListModel()
    {
        // Exercises eviction, compaction and growth of the byte store and the entry ring against a plain list.
        Gen<(int Op, byte[] Name, byte[] Value, int Size)> operation = Gen.Select(Gen.Int[0, 9], Gen.Byte.Array[0, 40], Gen.Byte.Array[0, 120], Gen.Int[0, 600]);
        operation.Array[1, 200].Sample(ops =>
        {
            const int Allowed = 600;
            var table = new DynamicTable(Allowed);
            var model = new List<(byte[] Name, byte[] Value)>();
            int maxSize = Allowed;
            foreach ((int op, byte[] name, byte[] value, int size) in ops)
            {
                if (op == 0)
                {
                    table.SetMaxSize(size);
                    maxSize = size;
                }
                else if (op == 1 && table.Count > 0)
                {
                    // A name out of the table itself, as a literal with an indexed name does.
                    int index = 1 + size % table.Count;
                    byte[] copy = table.GetName(index).ToArray();
                    table.Add(table.GetName(index), value);
                    Insert(model, copy, value, maxSize);
                    continue;
                }
                else
                {
                    table.Add(name, value);
                    Insert(model, name, value, maxSize);
                    continue;
                }
                while (SizeOf(model) > maxSize) model.RemoveAt(model.Count - 1);
            }
            Assert.Equal(model.Count, table.Count);
            Assert.Equal(SizeOf(model), table.Size);
            for (int i = 0; i < model.Count; i++)
            {
                Assert.Equal(model[i].Name, table.GetName(i + 1).ToArray());
                Assert.Equal(model[i].Value, table.GetValue(i + 1).ToArray());
            }
        }, iter: 1000);

        static int SizeOf(List<(byte[] Name, byte[] Value)> entries) => entries.Sum(e => 32 + e.Name.Length + e.Value.Length);

        static void Insert(List<(byte[] Name, byte[] Value)> model, byte[] name, byte[] value, int maxSize)
        {
            int size = 32 + name.Length + value.Length;
            if (size > maxSize)
            {
                model.Clear();
                return;
            }
            while (SizeOf(model) + size > maxSize) model.RemoveAt(model.Count - 1);
            model.Insert(0, (name, value));
        }
    }
}
