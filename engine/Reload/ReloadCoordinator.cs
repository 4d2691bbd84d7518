using Microsoft.Extensions.Logging;
using Proxy.Engine.Config;
using Proxy.Engine.Server;

namespace Proxy.Engine.Reload;

/// <summary>
/// Runs reloads one at a time, whatever asked for them: read and validate every file, and when the result is
/// valid and differs from what runs, hand it to the server to apply; otherwise leave the running configuration
/// untouched, log every error, and keep them for GET /admin/config. Reloads run off the socket threads: they
/// read files and compile snapshots.
/// </summary>
internal sealed class ReloadCoordinator : IDisposable
{
    private static readonly TimeSpan WatchDebounce = TimeSpan.FromMilliseconds(300);

    private readonly ProxyServer _server;
    private readonly string? _configPath;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ConfigFileWatcher? _watcher;
    private ConfigStatus _status = new(0, "", DateTimeOffset.UtcNow, "", [], false, null, 0, 0);
    private bool _disposed;

    public ReloadCoordinator(ProxyServer server, string? configPath, ILogger logger)
    {
        _server = server;
        _configPath = configPath;
        _logger = logger;
    }

    public ConfigStatus Status => Volatile.Read(ref _status);

    public void OnStarted(ProxyConfig config, long version) =>
        Volatile.Write(ref _status, new ConfigStatus(version, config.ContentHash, DateTimeOffset.UtcNow, config.SourcePath,
            config.SourceFiles, _configPath is not null, null, 0, 0));

    /// <summary>Starts watching the configuration's files and directories, when it came from a file.</summary>
    public void StartWatching(ProxyConfig config)
    {
        if (_configPath is null) return;
        _watcher = new ConfigFileWatcher(WatchDebounce, () => _ = ReloadAsync(ReloadTrigger.FileChange), _logger);
        _watcher.Watch(config.SourceFiles, config.IncludeDirectories);
    }

    public Task<ReloadOutcome> ReloadAsync(ReloadTrigger trigger) => Task.Run(() => ReloadOnceAsync(trigger));

    private async Task<ReloadOutcome> ReloadOnceAsync(ReloadTrigger trigger)
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return Record(trigger, applied: false, unchanged: false, ["the proxy is stopping"]);
            if (_configPath is null)
            {
                return Record(trigger, applied: false, unchanged: false,
                    ["this configuration was not read from a file (the embedded default), so there is nothing to reload"]);
            }

            // Sized from the running configuration's files: the new one is usually about as large.
            using var gcRegion = ReloadGcRegion.Enter(ReloadGcRegion.SizeOf(Status.Files.Count > 0 ? Status.Files : [_configPath]));
            ConfigLoadResult loaded = ConfigLoader.LoadFile(_configPath);
            if (!loaded.Succeeded) return Record(trigger, applied: false, unchanged: false, [.. loaded.Errors.Select(e => e.ToString())]);

            ProxyConfig next = loaded.Config!;
            _watcher?.Watch(next.SourceFiles, next.IncludeDirectories);
            if (next.ContentHash == Status.Hash)
            {
                Log.ReloadUnchanged(_logger, trigger, next.ContentHash);
                return Record(trigger, applied: false, unchanged: true, []);
            }

            string? refusal = await _server.ApplyAsync(next).ConfigureAwait(false);
            if (refusal is not null) return Record(trigger, applied: false, unchanged: false, [refusal]);

            ConfigStatus before = Status;
            Volatile.Write(ref _status, before with
            {
                Version = _server.Context.Routing.Current.Version,
                Hash = next.ContentHash,
                LoadedAt = DateTimeOffset.UtcNow,
                SourcePath = next.SourcePath,
                Files = next.SourceFiles,
            });
            Log.ReloadApplied(_logger, trigger, Status.Version, next.ContentHash);
            return Record(trigger, applied: true, unchanged: false, []);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> while no reload is in progress (an admin drain): what it reads from the current
    /// routing snapshot is what runs, and no reload compiles against the state it is about to change.
    /// </summary>
    public async Task<T> BetweenReloadsAsync<T>(Func<T> action)
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            return action();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private ReloadOutcome Record(ReloadTrigger trigger, bool applied, bool unchanged, IReadOnlyList<string> errors)
    {
        ConfigStatus before = Status;
        var outcome = new ReloadOutcome(trigger, DateTimeOffset.UtcNow, applied, unchanged, before.Version, errors);
        foreach (string error in errors) Log.ReloadRefused(_logger, trigger, error);
        if (applied || unchanged) _server.Context.Metrics.ReloadSucceeded();
        else _server.Context.Metrics.ReloadFailed(errors.Count);
        Volatile.Write(ref _status, before with
        {
            LastReload = outcome,
            Succeeded = before.Succeeded + (outcome.Succeeded ? 1 : 0),
            Failed = before.Failed + (outcome.Succeeded ? 0 : 1),
        });
        return outcome;
    }

    public void Dispose()
    {
        _disposed = true;
        _watcher?.Dispose();
    }
}
