using System.Runtime;
using Proxy.Engine.Reload;

namespace Proxy.Engine.Tests.Reload;

/// <summary>A no-GC region is process-wide: these tests must not run beside others that allocate or collect.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideGcMode
{
    public const string Name = "process-wide GC mode";
}

[Collection(ProcessWideGcMode.Name)]
public sealed class ReloadGcRegionTests
{
    private const long LargeConfiguration = 1024 * 1024;

    [Fact]
    public void SmallConfiguration_GetsNoRegion()
    {
        GCLatencyMode before = GCSettings.LatencyMode;

        using (ReloadGcRegion.Enter(ReloadGcRegion.MinimumTextBytes - 1))
        {
            Assert.Equal(before, GCSettings.LatencyMode);
        }

        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void LargeConfiguration_AllocatesWithoutCollections_UntilDisposed()
    {
        GCLatencyMode before = GCSettings.LatencyMode;

        using (ReloadGcRegion.Enter(LargeConfiguration))
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            int collections = GC.CollectionCount(0);
            var kept = new List<byte[]>();
            for (int i = 0; i < 1000; i++) kept.Add(new byte[8 * 1024]);      // 8 MB, well inside a 1 MB configuration's budget
            Assert.Equal(collections, GC.CollectionCount(0));
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            GC.KeepAlive(kept);
        }

        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void RegionEndedByACollection_DisposesQuietly()
    {
        GCLatencyMode before = GCSettings.LatencyMode;

        var region = ReloadGcRegion.Enter(LargeConfiguration);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        GC.Collect();                                                     // what spending the budget would also do
        region.Dispose();

        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void RegionInsideARegion_LeavesTheOuterOneAlone()
    {
        using (ReloadGcRegion.Enter(LargeConfiguration))
        {
            using (ReloadGcRegion.Enter(LargeConfiguration))
            {
                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            }
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
    }

    [Fact]
    public void SizeOf_CountsFilesOnDisk_AndZeroForMissingOnes()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, new byte[1234]);
            Assert.Equal(1234, ReloadGcRegion.SizeOf([file, file + ".missing"]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
