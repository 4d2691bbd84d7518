namespace Proxy.Engine.Config;

/// <summary>
/// Reads TOML into a <see cref="ProxyConfig"/>: parse, check every key and value, fill defaults. Reports every
/// error at once with file:line:column; never throws for bad input.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads the file at <paramref name="path"/>.</summary>
    public static ConfigLoadResult LoadFile(string path) => throw new NotImplementedException();

    /// <summary>Loads TOML text; <paramref name="sourceName"/> names it in errors.</summary>
    public static ConfigLoadResult LoadText(string text, string sourceName) => throw new NotImplementedException();
}
