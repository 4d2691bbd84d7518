using System.Diagnostics;
using Proxy.Engine.Config.Schema;
using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config;

/// <summary>
/// Times each stage of <see cref="ConfigLoader"/> on one text, for the perf tools: where a large reload's
/// milliseconds go. Not used by the proxy itself.
/// </summary>
internal static class ConfigLoadStages
{
    public static string Time(string text, string sourceName)
    {
        var clock = Stopwatch.StartNew();
        new ConfigFileSet(new ConfigErrors(sourceName), thorough: true).Add(sourceName, text);
        double thoroughParse = Lap(clock);

        var errors = new ConfigErrors(sourceName);
        var files = new ConfigFileSet(errors, thorough: false);
        bool parsed = files.Add(sourceName, text);
        double parse = Lap(clock);
        var context = new ReadContext(errors, Environment.GetEnvironmentVariable);
        ProxyConfig config = ConfigSchema.Root.Read(files.Root, context);
        double read = Lap(clock);
        ConfigCrossChecks.Check(config, context);
        double cross = Lap(clock);
        _ = ConfigHash.Of(files.Read);
        double hash = Lap(clock);
        bool loaded = ConfigLoader.LoadText(text, sourceName).Succeeded;
        double whole = Lap(clock);
        return $"(thorough parse+tree {thoroughParse:F1} ms) quick parse+tree {parse:F1} ms, schema {read:F1} ms, cross-checks {cross:F1} ms, hash {hash:F1} ms; " +
               $"total {parse + read + cross + hash:F1} ms ({(parsed && errors.Count == 0 ? "valid" : "INVALID")}); " +
               $"ConfigLoader.LoadText {whole:F1} ms ({(loaded ? "valid" : "INVALID")})";
    }

    private static double Lap(Stopwatch clock)
    {
        double elapsed = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return elapsed;
    }
}
