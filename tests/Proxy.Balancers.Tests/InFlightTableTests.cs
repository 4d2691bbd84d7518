using Proxy.Balancers.Tests.Support;

namespace Proxy.Balancers.Tests;

public class InFlightTableTests
{
    [Fact]
    public void TryPick_RandomLoadsAndWeights_AlwaysALeastLoadedDestination()
    {
        var setup = new Random(11);
        var random = new CountingRandomSource(12);
        for (int round = 0; round < 400; round++)
        {
            int count = setup.Next(2, 300);
            int maxWeight = setup.Next(1, 11);
            int maxLoad = setup.Next(1, 7);
            DestinationState[] set = Destinations.WithWeights(Enumerable.Range(0, count).Select(_ => setup.Next(1, maxWeight + 1)).ToArray());
            foreach (DestinationState destination in set) Destinations.StartRequests(destination, setup.Next(0, maxLoad + 1));
            InFlightTable table = Adopted(set);
            HashSet<int> least = LeastLoaded.Of(set);

            for (int pick = 0; pick < 5; pick++)
            {
                int callsBefore = random.Calls;
                int picked = table.TryPick(random);

                Assert.Contains(picked, least);
                // None for a single least; otherwise up to one per alias try, then one for the walk.
                if (least.Count == 1) Assert.Equal(callsBefore, random.Calls);
                else Assert.InRange(random.Calls - callsBefore, 1, InFlightTable.AliasTries + 1);
            }
        }
    }

    [Fact]
    public void TryPick_IdleWeightedCluster_SharesFollowWeightsOver100000Picks()
    {
        // 37 destinations: five vectors, the last one partly padding.
        int[] weights = Enumerable.Range(0, 37).Select(i => 1 + (i % 5)).ToArray();
        InFlightTable table = Adopted(Destinations.WithWeights(weights));
        var random = new SeededRandomSource(7);
        int[] counts = new int[weights.Length];

        for (int i = 0; i < 100_000; i++) counts[table.TryPick(random)]++;

        double total = weights.Sum();
        WeightedRandomTests.AssertShares(counts, weights.Select(w => w / total).ToArray(), 0.003);
    }

    [Fact]
    public void TryPick_IdleEqualWeights_SharesAreUniformOver100000Picks()
    {
        InFlightTable table = Adopted(Destinations.WithWeights(Enumerable.Repeat(3, 20).ToArray()));
        var random = new SeededRandomSource(8);
        int[] counts = new int[20];

        for (int i = 0; i < 100_000; i++) counts[table.TryPick(random)]++;

        WeightedRandomTests.AssertShares(counts, Enumerable.Repeat(1 / 20.0, 20).ToArray(), 0.004);
    }

    [Fact]
    public void TryPick_SomeTiedAtTheLeastLoad_SharesSplitByWeightAmongThemOnly()
    {
        int[] weights = Enumerable.Range(0, 24).Select(i => 1 + (i % 4)).ToArray();
        DestinationState[] set = Destinations.WithWeights(weights);
        // Two requests in flight per unit of weight everywhere, except 3, 11 (weight 4) and 17 (weight 2) with one
        // per unit, and 6 with three.
        for (int i = 0; i < set.Length; i++) Destinations.StartRequests(set[i], weights[i] * (i is 3 or 11 or 17 ? 1 : i == 6 ? 3 : 2));
        InFlightTable table = Adopted(set);
        var random = new SeededRandomSource(9);
        int[] counts = new int[set.Length];

        for (int i = 0; i < 100_000; i++) counts[table.TryPick(random)]++;

        double[] expected = new double[set.Length];
        expected[3] = expected[11] = 0.4;
        expected[17] = 0.2;
        WeightedRandomTests.AssertShares(counts, expected, 0.005);
    }

    [Fact]
    public void TryPick_EqualWeightsTied_DrawsTheNthTieInIndexOrder()
    {
        DestinationState[] set = Destinations.Equal(20);
        for (int i = 0; i < set.Length; i++)
        {
            if (i is not (2 or 9 or 17)) set[i].OnRequestStart();
        }
        InFlightTable table = Adopted(set);
        var random = new ScriptedRandomSource(0, 1, 2);

        Assert.Equal(2, table.TryPick(random));
        Assert.Equal(9, table.TryPick(random));
        Assert.Equal(17, table.TryPick(random));
    }

    [Fact]
    public void TryPick_WeightedTies_DrawLaidOutInIndexOrder()
    {
        // 70 destinations: three rows, so consecutive destinations share a column. Idle: 0 (weight 2), 1 (1), 3 (3),
        // 69 (4); their ten units of weight, in index order, are 0 0 | 1 | 3 3 3 | 69 69 69 69.
        DestinationState[] set = Destinations.WithWeights([2, 1, 1, 3, .. Enumerable.Repeat(1, 65), 4]);
        for (int i = 0; i < set.Length; i++)
        {
            if (i is not (0 or 1 or 3 or 69)) set[i].OnRequestStart();
        }
        InFlightTable table = Adopted(set);
        var random = new ScriptedRandomSource(0, 1, 2, 3, 5, 6, 9);

        int[] picks = [.. Enumerable.Range(0, 7).Select(_ => table.TryPick(random))];

        Assert.Equal([0, 0, 1, 3, 3, 69, 69], picks);
    }

    [Fact]
    public void TryPick_RandomLoadsAndWeightsWithFewTies_SameChoiceAsTheScanForTheSameDraw()
    {
        // Ties holding under half the weight are walked, in index order, as the scan walks them. (Larger
        // shares are drawn from the alias table: the same distribution, not the same number for the same choice.)
        var setup = new Random(13);
        int walked = 0;
        for (int round = 0; round < 300; round++)
        {
            int count = setup.Next(2, 700);
            int[] weights = [.. Enumerable.Range(0, count).Select(_ => setup.Next(1, 6))];
            DestinationState[] set = Destinations.WithWeights(weights);
            int maxLoad = setup.Next(0, 8);
            foreach (DestinationState destination in set) Destinations.StartRequests(destination, setup.Next(0, maxLoad + 1));
            InFlightTable table = Adopted(set);
            var scan = new LeastRequests(new SeededRandomSource(round));
            HashSet<int> least = LeastLoaded.Of(set);

            int picked = table.TryPick(new SeededRandomSource(round));

            Assert.Contains(picked, least);
            if (least.Sum(i => weights[i]) * InFlightTable.AliasShareDivisor >= weights.Sum()) continue;
            Assert.Equal(scan.PickByScan(set), picked);
            walked++;
        }
        Assert.True(walked >= 100, $"only {walked} rounds were walked");
    }

    [Fact]
    public void TryPick_OneDestinationLeast_DrawsNoRandomNumber()
    {
        DestinationState[] set = Destinations.WithWeights(Enumerable.Range(0, 100).Select(i => 1 + (i % 3)).ToArray());
        foreach (DestinationState destination in set) Destinations.StartRequests(destination, 4);
        set[77].OnRequestEnd(1, 1);
        var random = new ScriptedRandomSource();

        Assert.Equal(77, Adopted(set).TryPick(random));
        Assert.Equal(0, random.Calls);
    }

    [Fact]
    public void TryPick_LeastKeyBeyondAnInt_ReturnsMinusOneSoTheCallerScans()
    {
        // The weights' least common multiple (6,000,000,042) does not fit an int: every busy destination saturates.
        DestinationState[] set = Destinations.WithWeights(2, 3, 1_000_000_007);
        foreach (DestinationState destination in set) destination.OnRequestStart();
        InFlightTable table = Adopted(set);

        Assert.True(table.CanPick);
        Assert.Equal(-1, table.TryPick(new ScriptedRandomSource()));

        set[1].OnRequestEnd(1, 1);
        Assert.Equal(1, table.TryPick(new ScriptedRandomSource()));
    }

    [Fact]
    public void TryPick_CountTimesMultiplierBeyondAnInt_SaturatesOnlyThatKey()
    {
        // Multipliers 2^30 and 1: the weight-1 destination's key saturates at two requests, the other's stays exact.
        DestinationState[] set = Destinations.WithWeights(1, 1 << 30);
        Destinations.StartRequests(set[0], 2);
        Destinations.StartRequests(set[1], 3);
        InFlightTable table = Adopted(set);

        Assert.Equal(InFlightTable.Saturated, table.KeyAt(0));
        Assert.Equal(3, table.KeyAt(1));
        Assert.Equal(1, table.TryPick(new ScriptedRandomSource()));
    }

    [Fact]
    public void Build_DestinationListedTwice_CannotPickAndLeastRequestsStillExact()
    {
        DestinationState[] set = Destinations.Equal(3);
        DestinationState[] twice = [set[0], set[1], set[0], set[2]];
        Destinations.StartRequests(set[0], 1);
        Destinations.StartRequests(set[2], 1);

        Assert.False(InFlightTable.Build(twice).CanPick);
        Assert.Equal(1, new LeastRequests(new ScriptedRandomSource()).Pick(twice, default));
    }

    [Fact]
    public void EnsureAdopted_AnotherTableTookDestinations_TakesThemBackWithTheirCurrentCounts()
    {
        DestinationState[] all = Destinations.WithWeights(1, 2, 3, 4, 5, 6);
        InFlightTable first = Adopted(all[..4]);
        InFlightTable second = Adopted(all[2..]);
        Assert.False(first.IsAdopted);

        Destinations.StartRequests(all[2], 5);   // copied into second's table only
        Destinations.StartRequests(all[0], 1);   // still first's
        first.EnsureAdopted();

        Assert.True(first.IsAdopted);
        Assert.False(second.IsAdopted);
        long multiple = LeastLoaded.WeightMultiple(all.AsSpan(0, 4));   // 12
        Assert.Equal(1 * multiple / 1, first.KeyAt(0));
        Assert.Equal(0, first.KeyAt(1));
        Assert.Equal(5 * multiple / 3, first.KeyAt(2));
        Assert.Equal(0, first.KeyAt(3));
    }

    [Fact]
    public void ConcurrentStartsAndEnds_EveryTimeTheyPause_EveryKeyEqualsItsCount()
    {
        // Workers hammer two destinations in bursts; between bursts (all workers parked at the barrier) every key
        // must equal its count. A writer that stored a stale count last would show here.
        DestinationState[] set = Destinations.WithWeights(1, 3, 2, 5);
        InFlightTable table = Adopted(set);
        long multiple = LeastLoaded.WeightMultiple(set);
        const int Workers = 4;
        const int Rounds = 4_000;
        string? failure = null;
        int[] open = new int[set.Length];
        using var barrier = new Barrier(Workers, _ =>
        {
            for (int i = 0; i < set.Length; i++)
            {
                if (table.KeyAt(i) != set[i].ActiveRequests * multiple / set[i].Weight) failure ??= $"key {i}: {table.KeyAt(i)} for {set[i].ActiveRequests} in flight";
            }
        });
        Thread[] workers = [.. Enumerable.Range(0, Workers).Select(worker => new Thread(() =>
        {
            var random = new Random(worker);
            var mine = new Stack<int>();
            for (int round = 0; round < Rounds; round++)
            {
                for (int i = 0; i < 16; i++)
                {
                    if (mine.Count > 0 && random.Next(2) == 0)
                    {
                        set[mine.Pop()].OnRequestEnd(1, 1);
                        continue;
                    }
                    int index = random.Next(2);
                    set[index].OnRequestStart();
                    mine.Push(index);
                }
                barrier.SignalAndWait();
            }
        }))];
        foreach (Thread worker in workers) worker.Start();
        foreach (Thread worker in workers) worker.Join();

        Assert.Null(failure);
    }

    [Fact]
    public async Task ConcurrentStartsAndEnds_WhileTablesTradeDestinations_LeaveEveryKeyEqualToItsCount()
    {
        DestinationState[] all = Destinations.WithWeights(Enumerable.Range(0, 40).Select(i => 1 + (i % 4)).ToArray());
        DestinationState[] first = all[..30];
        DestinationState[] second = all[10..];
        InFlightTable firstTable = Adopted(first);
        InFlightTable secondTable = InFlightTable.Build(second);
        const int Workers = 6;
        int[][] leftOpen = new int[Workers][];
        using var stop = new CancellationTokenSource();

        // Both tables keep taking their destinations back while others pick from one of them.
        var trader = Task.Run(() =>
        {
            for (int round = 0; !stop.IsCancellationRequested; round++) (round % 2 == 0 ? secondTable : firstTable).EnsureAdopted();
        });
        var picker = Task.Run(() =>
        {
            var random = new SeededRandomSource(3);
            while (!stop.IsCancellationRequested)
            {
                int picked = firstTable.TryPick(random);
                Assert.InRange(picked, -1, first.Length - 1);
            }
        });
        Task[] workers = [.. Enumerable.Range(0, Workers).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            var open = new Stack<int>();
            for (int i = 0; i < 50_000; i++)
            {
                if (open.Count > 0 && random.Next(2) == 0)
                {
                    all[open.Pop()].OnRequestEnd(1, 1);
                    continue;
                }
                // Most requests go to four destinations, two of them in both tables, so that writers collide.
                int index = random.Next(4) != 0 ? 8 + random.Next(4) : random.Next(all.Length);
                all[index].OnRequestStart();
                open.Push(index);
            }
            leftOpen[worker] = [.. open];
        }))];
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await Task.WhenAll(trader, picker);

        firstTable.EnsureAdopted();
        long multiple = LeastLoaded.WeightMultiple(first);
        for (int i = 0; i < all.Length; i++)
        {
            int expected = leftOpen.Sum(open => open.Count(index => index == i));
            Assert.Equal(expected, all[i].ActiveRequests);
            if (i < first.Length) Assert.Equal(expected * multiple / all[i].Weight, firstTable.KeyAt(i));
        }
        Assert.Contains(firstTable.TryPick(new SeededRandomSource(4)), LeastLoaded.Of(first));
    }

    [Fact]
    public void Build_WeightedSet_AliasTableGivesEverySlotItsWeightOverTheTotalExactly()
    {
        // 300 destinations: ten rows, 20 slots of padding.
        int[] weights = [.. Enumerable.Range(0, 300).Select(i => 1 + (i * 7 % 9))];
        InFlightTable table = Adopted(Destinations.WithWeights(weights));
        AliasTable alias = table.Alias!;

        long[] cells = AliasTableTests.CellsPerIndex(alias);

        // Of the N × W cells, weight × N are each destination's, so its probability is weight / W; padding gets none.
        long[] expected = new long[alias.ColumnCount];
        for (int i = 0; i < weights.Length; i++) expected[table.SlotOf(i)] = (long)weights[i] * alias.ColumnCount;
        Assert.Equal(weights.Sum(), alias.Height);
        Assert.Equal(expected, cells);
    }

    [Fact]
    public void TryPick_TiesHoldMostOfTheWeight_DrawnFromTheAliasInProportionToWeightOver200000Picks()
    {
        // 256 destinations, weights 1-5; all idle but every fifth, busy: ties hold 4/5 of the weight or so.
        int[] weights = [.. Enumerable.Range(0, 256).Select(i => 1 + (i * 3 % 5))];
        DestinationState[] set = Destinations.WithWeights(weights);
        for (int i = 0; i < set.Length; i += 5) set[i].OnRequestStart();
        var random = new BoundRecordingRandomSource(31);
        InFlightTable table = Adopted(set);

        int[] counts = PickMany(table, random, 200_000);

        HashSet<int> tied = LeastLoaded.Of(set);
        long tiedWeight = tied.Sum(i => weights[i]);
        Assert.True(tiedWeight * InFlightTable.AliasShareDivisor >= weights.Sum());
        // Nearly every pick is one alias try (tries hit 4/5 of the time); a walk comes first (it finds the ties heavy)
        // and after four misses (1 in 625).
        Assert.InRange(random.DrawsBelow(table.Alias!.CellCount), 200_000, 260_000);
        Assert.InRange(random.DrawsBelow(tiedWeight), 1, 1_000);
        AssertProportionalAmongTies(counts, weights, tied);
    }

    [Fact]
    public void TryPick_TiesHoldLittleOfTheWeight_WalkedInProportionToWeightOver200000Picks()
    {
        // 256 destinations, weights 1-5, all busy but 14 idle ones of every weight: far under half the weight.
        int[] weights = [.. Enumerable.Range(0, 256).Select(i => 1 + (i % 5))];
        DestinationState[] set = Destinations.WithWeights(weights);
        for (int i = 0; i < set.Length; i++)
        {
            if (i % 18 != 7) Destinations.StartRequests(set[i], 1 + (i % 3));
        }
        var random = new BoundRecordingRandomSource(32);

        int[] counts = PickMany(Adopted(set), random, 200_000);

        HashSet<int> tied = LeastLoaded.Of(set);
        long tiedWeight = tied.Sum(i => weights[i]);
        Assert.True(tiedWeight * InFlightTable.AliasShareDivisor < weights.Sum());
        Assert.Equal(200_000, random.DrawsBelow(tiedWeight));   // one walk per pick, no alias try
        AssertProportionalAmongTies(counts, weights, tied);
    }

    [Fact]
    public void TryPick_TiesAtTheAliasThreshold_DrawsAndWalksTogetherStayProportionalOver200000Picks()
    {
        // Ties hold exactly half the weight: each alias try hits half the time, so one pick in 16 misses all four
        // tries and walks. The mixture must still be exact.
        int[] weights = [.. Enumerable.Range(0, 256).Select(i => 1 + (i % 4))];   // total 640
        DestinationState[] set = Destinations.WithWeights(weights);
        // Idle: two of each run of four (weights 1, 2, 3, 4), in turn, so 32 of each weight, 320 in all; the rest busy.
        for (int i = 0; i < set.Length; i++)
        {
            int group = i / 4;
            if (i % 4 != group % 4 && i % 4 != (group + 1) % 4) set[i].OnRequestStart();
        }
        var random = new BoundRecordingRandomSource(33);
        HashSet<int> tied = LeastLoaded.Of(set);
        long tiedWeight = tied.Sum(i => weights[i]);
        Assert.Equal(weights.Sum(), tiedWeight * InFlightTable.AliasShareDivisor);

        int[] counts = PickMany(Adopted(set), random, 200_000);

        Assert.InRange(random.DrawsBelow(tiedWeight), 9_000, 16_000);
        AssertProportionalAmongTies(counts, weights, tied);
    }

    private static InFlightTable Adopted(DestinationState[] set)
    {
        InFlightTable table = InFlightTable.Build(set);
        Assert.True(table.CanPick);
        table.EnsureAdopted();
        return table;
    }

    private static int[] PickMany(InFlightTable table, IRandomSource random, int picks)
    {
        int[] counts = new int[table.Alias!.ColumnCount];
        for (int i = 0; i < picks; i++) counts[table.TryPick(random)]++;
        return counts;
    }

    // Untied destinations never; each tie within 4.5 standard deviations of picks × weight / tied weight; each weight's
    // ties together within 2% of their share (tens of thousands of picks each, so that is many deviations); and a
    // chi-square over the ties below df + 4.5 √(2 df), above its 99.99th percentile here, so a skew spread thinly over
    // many ties shows too.
    private static void AssertProportionalAmongTies(int[] counts, int[] weights, HashSet<int> tied)
    {
        double picks = counts.Sum();
        double tiedWeight = tied.Sum(i => weights[i]);
        double chiSquare = 0;
        var byWeight = new Dictionary<int, (double Picks, double Expected)>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (!tied.Contains(i))
            {
                Assert.True(counts[i] == 0, $"destination {i} is not tied but was picked {counts[i]} times");
                continue;
            }
            double expected = picks * weights[i] / tiedWeight;
            Assert.True(Math.Abs(counts[i] - expected) <= 4.5 * Math.Sqrt(expected),
                $"destination {i} (weight {weights[i]}): {counts[i]} picks, {expected:F0} expected");
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
            (double classPicks, double classExpected) = byWeight.GetValueOrDefault(weights[i]);
            byWeight[weights[i]] = (classPicks + counts[i], classExpected + expected);
        }
        foreach ((int weight, (double classPicks, double classExpected)) in byWeight)
        {
            Assert.True(Math.Abs(classPicks - classExpected) <= 0.02 * classExpected,
                $"weight {weight}: {classPicks} picks, {classExpected:F0} expected");
        }
        int freedom = tied.Count - 1;
        Assert.True(chiSquare < freedom + (4.5 * Math.Sqrt(2.0 * freedom)), $"chi-square {chiSquare:F1} with {freedom} degrees of freedom");
    }
}
