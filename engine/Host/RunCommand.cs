using Microsoft.Extensions.Logging;
using Proxy.Engine.Config;
using Proxy.Engine.Server;

namespace Proxy.Host;

/// <summary>`proxy run --config FILE`: load, start, wait for a signal, drain, exit.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(FileInfo file)
    {
        ConfigLoadResult result = ConfigLoader.LoadFile(file.FullName);
        if (!result.Succeeded)
        {
            ConfigErrors.Print(result.Errors);
            return 1;
        }
        return await RunUntilSignalAsync(result.Config!, file.FullName, onStarted: null).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="config"/> until SIGINT/SIGTERM; 0 after a clean drain, 1 when it cannot start. With
    /// <paramref name="configPath"/>, SIGHUP (and file changes, and POST /admin/reload) reload it.
    /// </summary>
    public static async Task<int> RunUntilSignalAsync(ProxyConfig config, string? configPath, Action<ProxyServer>? onStarted)
    {
        using ILoggerFactory loggers = Logging.Create();
        using var signal = new ShutdownSignal();
        var server = new ProxyServer(config, loggers, configPath);
        using var reloadSignal = new ReloadSignal(server);
        try
        {
            server.Start();
        }
        catch (ProxyStartException ex)
        {
            Console.Error.WriteLine($"proxy: {ex.Message}");
            await server.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
            return 1;
        }
        onStarted?.Invoke(server);

        await signal.Graceful.ConfigureAwait(false);
        Task drained = server.StopAsync(server.Config.Server.ShutdownTimeout);     // the running config's, after reloads
        // A second signal during the drain cuts it short.
        if (await Task.WhenAny(drained, signal.Immediate).ConfigureAwait(false) != drained)
        {
            await server.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        }
        return 0;
    }
}
