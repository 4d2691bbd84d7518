using Proxy.Engine.Config.Schema;
using Proxy.Engine.Config.Toml;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Proxy.Engine.Config;

/// <summary>
/// Reads TOML into a <see cref="ProxyConfig"/>: parse, check every key and value, fill defaults. Reports every
/// error at once with file:line:column; never throws for bad input.
/// </summary>
/// <remarks>
/// The steps: TOML is read into a small table tree (quickly by <see cref="TomlTokenReader"/> when it is sure of
/// the file; else Tomlyn parses to a syntax tree); syntax errors end the load there, since past one the tree is
/// a guess and checking a guess would report errors the operator did not make. TOML-level errors (a key or
/// table defined twice) are reported and checking goes on, because the tree is still sound. Then the tree is
/// reshaped by TOML's rules (<see cref="TomlTreeBuilder"/>), read table by table against
/// <see cref="ConfigSchema"/>, and cross-checked (<see cref="ConfigCrossChecks"/>).
/// </remarks>
public static class ConfigLoader
{
    /// <summary>Loads the file at <paramref name="path"/>, and the files it includes.</summary>
    public static ConfigLoadResult LoadFile(string path) => LoadFile(path, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="LoadFile(string)"/>, with "${NAME}" looked up in <paramref name="environment"/> (tests pass their own).</summary>
    internal static ConfigLoadResult LoadFile(string path, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!ConfigFileReader.TryRead(path, out string? text, out string problem))
        {
            return new ConfigLoadResult(null, [new ConfigError(path, 1, 1, problem)]);
        }
        return Load(path, text, environment);
    }

    /// <summary>Loads TOML text; <paramref name="sourceName"/> names it in errors and anchors relative includes.</summary>
    public static ConfigLoadResult LoadText(string text, string sourceName) =>
        LoadText(text, sourceName, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="LoadText(string, string)"/>, with "${NAME}" looked up in <paramref name="environment"/> (tests pass their own).</summary>
    internal static ConfigLoadResult LoadText(string text, string sourceName, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Load(sourceName, text, environment);
    }

    private static ConfigLoadResult Load(string mainFile, string mainText, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // The quick reader first (a large reload's time is mostly TOML parsing). Whenever it is unsure or anything
        // at all is wrong, everything is read again the thorough way, so errors always come from one reader.
        ConfigLoadResult quick = Load(mainFile, mainText, environment, thorough: false);
        return quick.Succeeded ? quick : Load(mainFile, mainText, environment, thorough: true);
    }

    private static ConfigLoadResult Load(string mainFile, string mainText, Func<string, string?> environment, bool thorough)
    {
        var errors = new ConfigErrors(mainFile);
        var files = new ConfigFileSet(errors, thorough);
        if (!files.Add(mainFile, mainText)) return new ConfigLoadResult(null, errors.InFileOrder());

        var context = new ReadContext(errors, environment);
        ProxyConfig config = ConfigSchema.Root.Read(files.Root, context);
        ConfigCrossChecks.Check(config, context);

        return errors.Count == 0
            ? new ConfigLoadResult(config with
            {
                SourcePath = mainFile,
                SourceFiles = [.. files.Read.Select(file => file.Path)],
                IncludeDirectories = [.. files.WildcardDirectories],
                ContentHash = ConfigHash.Of(files.Read),
            }, [])
            : new ConfigLoadResult(null, errors.InFileOrder());
    }
}
