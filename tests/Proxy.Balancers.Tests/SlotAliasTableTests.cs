using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class SlotAliasTableTests
{
    [Fact]
    public void Columns_RandomWeightsWithPadding_EverySlotCoversExactlyWeightTimesColumnCountCells()
    {
        var setup = new Random(21);
        for (int round = 0; round < 200; round++)
        {
            int count = setup.Next(1, 600);
            int maxWeight = setup.Next(1, 1_000);
            // Zeros where the in-flight table has padding (and, here, anywhere): they must get no cell.
            int[] weights = [.. Enumerable.Range(0, count).Select(_ => setup.Next(4) == 0 ? 0 : setup.Next(1, maxWeight + 1))];
            if (weights.Sum() == 0) weights[0] = 1;
            var table = new SlotAliasTable(weights);

            long[] cells = CellsPerSlot(table);

            // Probability of slot s = cells / (N × H) = weight(s) × N × m / (N × W × m) = weight(s) / W, exactly.
            long total = weights.Sum();
            Assert.Equal(0, table.Height % total);
            long scale = table.Height / total;
            Assert.Equal(count * table.Height, table.CellCount);
            Assert.InRange(table.CellCount, SlotAliasTable.DefaultCellTarget - (count * total) + 1, SlotAliasTable.DefaultCellTarget);
            Assert.Equal(weights.Select(w => w * count * scale), cells);
        }
    }

    [Fact]
    public void Draw_EveryCellEnumerated_EachSlotDrawnWeightTimesColumnCountTimes()
    {
        // Not scaled (a target of 0), so that the cells can be counted: N × W = 8 × 18.
        int[] weights = [3, 0, 1, 2, 7, 0, 0, 5];
        var table = new SlotAliasTable(weights, cellTarget: 0);
        long cellCount = table.CellCount;
        Assert.Equal(weights.Length * weights.Sum(), cellCount);
        var random = new ScriptedRandomSource();
        int[] counts = new int[weights.Length];

        for (long cell = 0; cell < cellCount; cell++)
        {
            random.Enqueue(cell);
            counts[table.Draw(random)]++;
        }

        Assert.Equal(weights.Select(w => w * weights.Length), counts);
    }

    [Fact]
    public void Draw_LargestTablesAtColumnBoundaries_FindsTheColumnAsADivisionWould()
    {
        // 16,384 slots whose weights sum to int.MaxValue, scaled to cells just under 2^62: the largest quotients, where
        // the reciprocal's error is largest.
        int[] weights = new int[InFlightTable.MaxDestinations];
        Array.Fill(weights, int.MaxValue / weights.Length);
        weights[^1] += (int)(int.MaxValue - weights.Sum(w => (long)w));
        var table = new SlotAliasTable(weights);
        var random = new ScriptedRandomSource();

        foreach (int column in new[] { 0, 1, 2, 4_095, 8_191, 16_382, 16_383 })
        {
            foreach (long offset in new[] { 0, 1, table.Height - 2, table.Height - 1 })
            {
                long cell = (column * table.Height) + offset;
                random.Enqueue(cell);
                (long threshold, int alias) = table.ColumnAt(column);

                Assert.Equal(offset < threshold ? column : alias, table.Draw(random));
            }
        }
    }

    internal static long[] CellsPerSlot(SlotAliasTable table)
    {
        long[] cells = new long[table.ColumnCount];
        for (int column = 0; column < table.ColumnCount; column++)
        {
            (long threshold, int alias) = table.ColumnAt(column);
            Assert.InRange(threshold, 0, table.Height);
            cells[column] += threshold;
            cells[alias] += table.Height - threshold;
        }
        return cells;
    }
}
