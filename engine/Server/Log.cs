using Microsoft.Extensions.Logging;

namespace Proxy.Engine.Server;

/// <summary>Every log line the engine writes, source-generated so that a disabled level costs one check.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening on {EndPoint} ({Listener}, {Workers} accept loops)")]
    public static partial void Listening(ILogger logger, string listener, System.Net.EndPoint endPoint, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unexpected error on connection {Connection}")]
    public static partial void ConnectionFailed(ILogger logger, object connection, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Accept loop on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, string endPoint, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Could not serve a connection accepted on {EndPoint}; it was closed")]
    public static partial void ServeFailed(ILogger logger, string endPoint, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Shutting down: draining {Connections} connections for up to {Timeout}")]
    public static partial void Draining(ILogger logger, int connections, TimeSpan timeout);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Shutdown timeout passed: cutting {Connections} connections")]
    public static partial void DrainTimedOut(ILogger logger, int connections);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Admin API on http://{EndPoint}/")]
    public static partial void AdminListening(ILogger logger, System.Net.EndPoint endPoint);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Configuration {Source} loaded: {Routes} routes, {Clusters} clusters (version {Version})")]
    public static partial void ConfigLoaded(ILogger logger, string source, int routes, int clusters, long version);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Listener {Listener} on {EndPoint} removed: {Connections} connections finish their current request and close")]
    public static partial void ListenerRemoved(ILogger logger, string listener, System.Net.EndPoint endPoint, int connections);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Setting} changed; it takes effect at the next restart (running with {Running})")]
    public static partial void RestartNeeded(ILogger logger, string setting, string running);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Reload ({Trigger}): configuration unchanged (hash {Hash})")]
    public static partial void ReloadUnchanged(ILogger logger, Reload.ReloadTrigger trigger, string hash);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Reload ({Trigger}) refused, the running configuration stays: {Error}")]
    public static partial void ReloadRefused(ILogger logger, Reload.ReloadTrigger trigger, string error);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Reload ({Trigger}) applied: version {Version}, hash {Hash}")]
    public static partial void ReloadApplied(ILogger logger, Reload.ReloadTrigger trigger, long version, string hash);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Watching {Path} for configuration changes failed; reload with SIGHUP or POST /admin/reload")]
    public static partial void WatchFailed(ILogger logger, string path, Exception exception);
}
