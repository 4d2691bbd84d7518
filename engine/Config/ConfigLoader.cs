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
/// The steps: Tomlyn parses to a syntax tree; syntax errors end the load there, since past one the tree is
/// a guess and checking a guess would report errors the operator did not make. TOML-level errors (a key or
/// table defined twice) are reported and checking goes on, because the tree is still sound. Then the tree is
/// reshaped by TOML's rules (<see cref="TomlTreeBuilder"/>), read table by table against
/// <see cref="ConfigSchema"/>, and cross-checked (<see cref="ConfigCrossChecks"/>).
/// </remarks>
public static class ConfigLoader
{
    /// <summary>Loads the file at <paramref name="path"/>.</summary>
    public static ConfigLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!ConfigFileReader.TryRead(path, out string? text, out string problem))
        {
            return new ConfigLoadResult(null, [new ConfigError(path, 1, 1, problem)]);
        }
        return LoadText(text, path);
    }

    /// <summary>Loads TOML text; <paramref name="sourceName"/> names it in errors.</summary>
    public static ConfigLoadResult LoadText(string text, string sourceName) =>
        LoadText(text, sourceName, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="LoadText(string, string)"/>, with "${NAME}" looked up in <paramref name="environment"/> (tests pass their own).</summary>
    internal static ConfigLoadResult LoadText(string text, string sourceName, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new ConfigErrors(sourceName);

        DocumentSyntax syntax = SyntaxParser.Parse(text, sourceName, validate: false);
        if (syntax.HasErrors)
        {
            TomlDiagnostics.AddTo(errors, syntax.Diagnostics);
            return new ConfigLoadResult(null, errors.InFileOrder());
        }
        // Parsed again with validation: it only runs on a document without syntax errors, and its errors
        // are the ones after which checking may go on.
        DocumentSyntax document = SyntaxParser.Parse(text, sourceName, validate: true);
        TomlDiagnostics.AddTo(errors, document.Diagnostics);

        var context = new ReadContext(errors, environment);
        ProxyConfig config = ConfigSchema.Root.Read(TomlTreeBuilder.Build(document), context);
        ConfigCrossChecks.Check(config, context);

        return errors.Count == 0
            ? new ConfigLoadResult(config with { SourcePath = sourceName }, [])
            : new ConfigLoadResult(null, errors.InFileOrder());
    }
}
