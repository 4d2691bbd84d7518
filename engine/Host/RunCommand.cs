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
        return await RunUntilSignalAsync(result.Config!, onStarted: null).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="config"/> until SIGINT/SIGTERM; 0 after a clean drain, 1 when it cannot start.</summary>
    public static async Task<int> RunUntilSignalAsync(ProxyConfig config, Action<ProxyServer>? onStarted)
    {
        using ILoggerFactory loggers = Logging.Create();
        using var signal = new ShutdownSignal();
        var server = new ProxyServer(config, loggers);
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
        Task drained = server.StopAsync(config.Server.ShutdownTimeout);
        // A second signal during the drain cuts it short.
        if (await Task.WhenAny(drained, signal.Immediate).ConfigureAwait(false) != drained)
        {
            await server.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        }
        return 0;
    }
}
