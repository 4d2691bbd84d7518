using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Proxy.Host;

/// <summary>Log lines to standard error, one per line with a timestamp; PROXY_LOG_LEVEL overrides Information.</summary>
internal static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(Enum.TryParse(Environment.GetEnvironmentVariable("PROXY_LOG_LEVEL"), ignoreCase: true, out LogLevel level)
            ? level : LogLevel.Information)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        })
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
