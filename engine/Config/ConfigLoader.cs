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
        var errors = new ConfigErrors(mainFile);
        var files = new List<(string Path, string Text)>();
        var root = new TomlTable(SourcePosition.FileStart);
        var including = new Stack<string>();

        bool syntaxOk = AddFile(root, mainFile, mainText, errors, files, including);
        if (!syntaxOk) return new ConfigLoadResult(null, errors.InFileOrder());

        var context = new ReadContext(errors, environment);
        ProxyConfig config = ConfigSchema.Root.Read(root, context);
        ConfigCrossChecks.Check(config, context);

        return errors.Count == 0
            ? new ConfigLoadResult(config with
            {
                SourcePath = mainFile,
                SourceFiles = [.. files.Select(file => file.Path)],
                ContentHash = ConfigHash.Of(files),
            }, [])
            : new ConfigLoadResult(null, errors.InFileOrder());
    }

    /// <summary>
    /// Parses one file into <paramref name="root"/>, then the files it includes, depth first. False when a file
    /// has syntax errors: past one the tree is a guess, and checking a guess would report errors the operator
    /// did not make. TOML-level errors (a key or table defined twice) are reported and checking goes on.
    /// </summary>
    private static bool AddFile(TomlTable root, string file, string text, ConfigErrors errors,
        List<(string Path, string Text)> files, Stack<string> including)
    {
        files.Add((file, text));
        DocumentSyntax syntax = SyntaxParser.Parse(text, file, validate: false);
        if (syntax.HasErrors)
        {
            TomlDiagnostics.AddTo(errors, syntax.Diagnostics);
            return false;
        }
        // Parsed again with validation: it only runs on a document without syntax errors.
        DocumentSyntax document = SyntaxParser.Parse(text, file, validate: true);
        TomlDiagnostics.AddTo(errors, document.Diagnostics);
        TomlTreeBuilder.Merge(root, document, errors);

        bool allOk = true;
        including.Push(Path.GetFullPath(file));
        foreach (TomlEntry entry in root.Entries.Where(e => e.Key == ConfigIncludes.Key && e.KeyPosition.File == file).ToList())
        {
            foreach (string included in ConfigIncludes.Resolve(entry, file, errors))
            {
                allOk &= AddIncluded(root, entry, included, errors, files, including);
            }
        }
        including.Pop();
        return allOk;
    }

    private static bool AddIncluded(TomlTable root, TomlEntry entry, string included, ConfigErrors errors,
        List<(string Path, string Text)> files, Stack<string> including)
    {
        if (including.Contains(Path.GetFullPath(included)))
        {
            errors.Add(entry.Value.Position, $"`{ConfigIncludes.Key}` of {included} would include it inside itself; remove the cycle");
            return true;
        }
        if (including.Count >= ConfigIncludes.MaxDepth)
        {
            errors.Add(entry.Value.Position, $"`{ConfigIncludes.Key}` of {included} goes deeper than {ConfigIncludes.MaxDepth} levels of includes");
            return true;
        }
        if (!ConfigFileReader.TryRead(included, out string? text, out string problem))
        {
            errors.Add(entry.Value.Position, $"{included}: {problem}");
            return true;
        }
        errors.RegisterFile(included);
        return AddFile(root, included, text, errors, files, including);
    }
}
