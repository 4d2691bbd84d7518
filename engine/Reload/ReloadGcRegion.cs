using System.Runtime;

namespace Proxy.Engine.Reload;

/// <summary>
/// Lets a large reload allocate without garbage collections, so that what it builds only for the moment (the TOML
/// tree, the records read from it, the compiler's builders: about 40 bytes per byte of configuration text) dies
/// young instead of being promoted twice while the reload is still running.
/// </summary>
/// <remarks>
/// Without it, a 10,000-route reload (1 MB of TOML, 45 MB allocated) spent about 50 of its 135 ms in collections,
/// nearly all of them gen1 and one gen2 per reload, copying a tree that was garbage by the end. The region starts
/// with one full collection, which costs little before a reload, commits its budget at once (the process's committed
/// memory grows by about the budget, and the GC gives it back over later collections), and lasts until the reload
/// finishes, or ends by itself if anything (a reload larger than estimated, requests served meanwhile) allocates past
/// its budget: then the GC simply runs as usual. It is entered before the files are read, so a reload that finds them
/// unchanged or invalid pays the collection too. Small configurations gain nothing and get no region.
/// </remarks>
internal sealed class ReloadGcRegion : IDisposable
{
    /// <summary>Below this much configuration text, collections during a reload cost a millisecond or two at most.</summary>
    public const long MinimumTextBytes = 256 * 1024;

    private const long BytesPerTextByte = 64;
    private const long MaximumBudget = 256L * 1024 * 1024;

    private readonly bool _started;

    private ReloadGcRegion(bool started) => _started = started;

    /// <summary>A region sized for reading <paramref name="textBytes"/> of configuration; none when that is small or the GC refuses.</summary>
    public static ReloadGcRegion Enter(long textBytes)
    {
        if (textBytes < MinimumTextBytes || GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new ReloadGcRegion(false);
        long budget = Math.Min(textBytes * BytesPerTextByte, MaximumBudget);
        try
        {
            return new ReloadGcRegion(GC.TryStartNoGCRegion(budget));
        }
        catch (ArgumentOutOfRangeException)
        {
            // More than this runtime's ephemeral space: the reload runs with ordinary collections.
            return new ReloadGcRegion(false);
        }
        catch (InvalidOperationException)
        {
            // Another reload in this process (a second server, as tests run them) started one since the check above.
            return new ReloadGcRegion(false);
        }
    }

    /// <summary>The sizes of <paramref name="files"/> as they are on disk now; a file that cannot be read counts 0.</summary>
    public static long SizeOf(IEnumerable<string> files)
    {
        long total = 0;
        foreach (string file in files)
        {
            try
            {
                total += new FileInfo(file).Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The reload itself reports what cannot be read.
            }
        }
        return total;
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region already ended: a collection ran because the budget was spent. Nothing to undo.
        }
    }
}
