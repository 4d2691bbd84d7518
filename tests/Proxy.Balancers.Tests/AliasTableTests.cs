using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class AliasTableTests
{
    [Fact]
    public void Columns_RandomWeightsWithZeros_EveryIndexCoversExactlyWeightTimesColumnCountCells()
    {
        var setup = new Random(21);
        for (int round = 0; round < 200; round++)
        {
            int count = setup.Next(1, 600);
            int maxWeight = setup.Next(1, 1_000);
            // Zeros where the in-flight table has padding (and, here, anywhere): they must get no cell.
            int[] weights = [.. Enumerable.Range(0, count).Select(_ => setup.Next(4) == 0 ? 0 : setup.Next(1, maxWeight + 1))];
            if (weights.Sum() == 0) weights[0] = 1;
            var table = new AliasTable(weights);

            long[] cells = CellsPerIndex(table);

            // Probability of index i = cells / (N × W) = weight(i) × N / (N × W) = weight(i) / W, exactly.
            Assert.Equal(weights.Sum(), table.Height);
            Assert.Equal(count * table.Height, table.CellCount);
            Assert.Equal(weights.Select(w => (long)w * count), cells);
        }
    }

    [Fact]
    public void Draw_EveryCellEnumerated_EachIndexDrawnWeightTimesColumnCountTimes()
    {
        // N × W = 8 × 18 cells, each drawn once.
        int[] weights = [3, 0, 1, 2, 7, 0, 0, 5];
        var table = new AliasTable(weights);
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
    public void Build_BadWeights_RefusedWithTheReason()
    {
        Assert.Contains("negative", Assert.Throws<ArgumentOutOfRangeException>(() => new AliasTable([3, -1, 2])).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => new AliasTable([0, 0])).Message);
        // 65,537 weights of int.MaxValue: N × W is past 2^63, so no cell could be drawn below it.
        int[] huge = new int[65_537];
        Array.Fill(huge, int.MaxValue);
        Assert.Throws<OverflowException>(() => new AliasTable(huge));
    }

    [Theory]
    [InlineData(16_384)]   // least_conn's largest in-flight table: slots whose weights sum to int.MaxValue
    [InlineData(65_536)]   // "random" at its limit: 2^16 weights near int.MaxValue, N × W = 2^63 - 2^32 - 2^16 cells
    public void Draw_LargestTablesAtColumnBoundaries_FindsTheColumnAsADivisionWould(int count)
    {
        // The largest quotients and cells, where the reciprocal's error is largest.
        int[] weights = new int[count];
        if (count == InFlightTable.MaxDestinations)
        {
            Array.Fill(weights, int.MaxValue / count);
            weights[^1] += (int)(int.MaxValue - weights.Sum(w => (long)w));
        }
        else
        {
            Array.Fill(weights, int.MaxValue);
            weights[0] = int.MaxValue - 1;   // not all equal, so that columns have aliases
        }
        var table = new AliasTable(weights);
        var random = new ScriptedRandomSource();

        foreach (int column in new[] { 0, 1, 2, count / 4, count / 2, count - 2, count - 1 })
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

    internal static long[] CellsPerIndex(AliasTable table)
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
