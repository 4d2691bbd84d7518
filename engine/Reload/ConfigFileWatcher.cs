using Microsoft.Extensions.Logging;
using Proxy.Engine.Server;

namespace Proxy.Engine.Reload;

/// <summary>
/// Calls back once the configuration's files have stopped changing for a moment. Directories are watched,
/// not files: editors and deploy tools replace a file by writing a temporary one and renaming it over the
/// old (the old file's watch would die with it), and many write twice; the debounce turns a burst into one
/// reload, and the reload itself skips unchanged content by its hash.
/// Relevant changes: any file of the configuration, and any *.toml appearing or changing in a directory an
/// include wildcard reads (a new conf.d/x.toml is a new piece of configuration).
/// </summary>
internal sealed class ConfigFileWatcher : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Timer _debounce;
    private readonly TimeSpan _quietFor;
    private readonly ILogger _logger;
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private HashSet<string> _files = new(StringComparer.Ordinal);
    private HashSet<string> _includeDirectories = new(StringComparer.Ordinal);
    private bool _disposed;

    public ConfigFileWatcher(TimeSpan quietFor, Action onChange, ILogger logger)
    {
        _quietFor = quietFor;
        _logger = logger;
        _debounce = new Timer(_ => onChange(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Watches exactly these files and include directories from now on (they change with a reload).</summary>
    public void Watch(IEnumerable<string> files, IEnumerable<string> includeDirectories)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _files = new HashSet<string>(files.Select(Path.GetFullPath), StringComparer.Ordinal);
            _includeDirectories = new HashSet<string>(includeDirectories.Select(Path.GetFullPath), StringComparer.Ordinal);
            var directories = new HashSet<string>(_includeDirectories, StringComparer.Ordinal);
            foreach (string file in _files) directories.Add(Path.GetDirectoryName(file)!);

            foreach (string gone in _watchers.Keys.Where(d => !directories.Contains(d)).ToList())
            {
                _watchers[gone].Dispose();
                _watchers.Remove(gone);
            }
            foreach (string directory in directories.Where(d => !_watchers.ContainsKey(d) && Directory.Exists(d)))
            {
                try
                {
                    _watchers[directory] = Start(directory);
                }
                catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
                {
                    Log.WatchFailed(_logger, directory, ex);
                }
            }
        }
    }

    private FileSystemWatcher Start(string directory)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, e) => OnEvent(e.FullPath);
        watcher.Created += (_, e) => OnEvent(e.FullPath);
        watcher.Deleted += (_, e) => OnEvent(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            OnEvent(e.OldFullPath);
            OnEvent(e.FullPath);
        };
        watcher.Error += (_, e) => Log.WatchFailed(_logger, directory, e.GetException());
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnEvent(string path)
    {
        lock (_lock)
        {
            if (_disposed || !IsRelevant(path)) return;
            _debounce.Change(_quietFor, Timeout.InfiniteTimeSpan);    // every event restarts the quiet period
        }
    }

    private bool IsRelevant(string path) =>
        _files.Contains(path) ||
        (path.EndsWith(".toml", StringComparison.Ordinal) && _includeDirectories.Contains(Path.GetDirectoryName(path)!));

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (FileSystemWatcher watcher in _watchers.Values) watcher.Dispose();
            _watchers.Clear();
        }
        _debounce.Dispose();
    }
}
