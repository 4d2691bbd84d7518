using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Proxy.Engine.Server;

namespace Proxy.Engine.Reload;

/// <summary>
/// Calls back once the configuration's files have changed and then stayed unchanged for a moment. Relevant
/// files: every file of the configuration, and every *.toml in a directory an include wildcard reads (a new
/// conf.d/x.toml is a new piece of configuration). The quiet period turns an editor's double write or a deploy
/// tool's burst into one reload, and the reload itself skips unchanged content by its hash.
/// </summary>
/// <remarks>
/// It polls: every <see cref="PollInterval"/> it takes a fingerprint of those files (size and last write time, or
/// absence) and compares it with the last one. It does not use inotify (FileSystemWatcher) because that watches
/// whole directories: every write to any file beside the configuration — a log written on every request — costs
/// an event and its allocations (measured: about 50-150 B per proxied request). Polling costs a few stat calls per
/// interval whatever else the directory holds, sees files replaced by a rename like any other change, and works on
/// the network and container mounts where inotify reports nothing. Caddy's --watch polls for the same reasons.
/// </remarks>
internal sealed class ConfigFileWatcher : IDisposable
{
    /// <summary>How often the files are looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly TimeSpan _quietFor;
    private readonly Action _onChange;
    private readonly ILogger _logger;
    private string[] _files = [];
    private string[] _includeDirectories = [];
    private int _fingerprint;
    private long _changedAt;     // Stopwatch timestamp of the latest change seen; 0 when none is waiting
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);    // paths whose last look failed, logged once each
    private bool _disposed;

    public ConfigFileWatcher(TimeSpan quietFor, Action onChange, ILogger logger)
    {
        _quietFor = quietFor;
        _onChange = onChange;
        _logger = logger;
        _timer = new Timer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <summary>Watches exactly these files and include directories from now on (they change with a reload).</summary>
    public void Watch(IEnumerable<string> files, IEnumerable<string> includeDirectories)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _files = [.. files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
            _includeDirectories = [.. includeDirectories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
            // What was just loaded is the baseline; a change still waiting for its quiet period keeps waiting.
            _fingerprint = Fingerprint();
        }
    }

    private void Poll()
    {
        lock (_lock)
        {
            if (_disposed) return;
            int fingerprint = Fingerprint();
            if (fingerprint != _fingerprint)
            {
                _fingerprint = fingerprint;
                _changedAt = Stopwatch.GetTimestamp();    // every change restarts the quiet period
                return;
            }
            if (_changedAt == 0 || Stopwatch.GetElapsedTime(_changedAt) < _quietFor) return;
            _changedAt = 0;
        }
        _onChange();
    }

    // Order-independent (a sum), so that the order a directory lists its files in does not matter.
    private int Fingerprint()
    {
        int sum = 0;
        foreach (string file in _files) sum += Look(file, () => Of(new FileInfo(file)));
        foreach (string directory in _includeDirectories)
        {
            sum += Look(directory, () =>
            {
                var info = new DirectoryInfo(directory);
                if (!info.Exists) return -1;
                int files = 0;
                foreach (FileInfo file in info.EnumerateFiles("*.toml")) files += Of(file);
                return files;
            });
        }
        return sum;
    }

    private static int Of(FileInfo file) =>
        file.Exists ? HashCode.Combine(file.FullName, file.Length, file.LastWriteTimeUtc.Ticks) : HashCode.Combine(file.FullName);

    // A path that cannot be read (permissions, a mount gone) counts as one state of its own, logged once.
    private int Look(string path, Func<int> look)
    {
        try
        {
            int result = look();
            _failing.Remove(path);
            return result;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_failing.Add(path)) Log.WatchFailed(_logger, path, ex);
            return HashCode.Combine(path, ex.GetType());
        }
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
        _timer.Dispose();
    }
}
