using Proxy.Engine.Config.Toml;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Proxy.Engine.Config;

/// <summary>
/// The files of one configuration as they are read: the main one, then what its <c>include</c> lists name,
/// depth first, all merged into one table tree (<see cref="Root"/>).
/// </summary>
/// <param name="errors">Where problems go.</param>
/// <param name="thorough">
/// True: Tomlyn's syntax tree and validation, which name every TOML error precisely. False: the quick
/// <see cref="TomlTokenReader"/>, which gives up (<see cref="GaveUp"/>) rather than report anything.
/// </param>
internal sealed class ConfigFileSet(ConfigErrors errors, bool thorough)
{
    private readonly Stack<string> _including = new();
    private readonly List<(string Path, string Text)> _read = [];
    private readonly HashSet<string> _wildcardDirectories = new(StringComparer.Ordinal);

    public TomlTable Root { get; } = new(SourcePosition.FileStart);

    /// <summary>Every file read, in merge order, with its text (for the content hash).</summary>
    public IReadOnlyList<(string Path, string Text)> Read => _read;

    /// <summary>Directories include wildcards read (watched for new files by reloads).</summary>
    public IReadOnlyCollection<string> WildcardDirectories => _wildcardDirectories;

    /// <summary>The quick reader was not sure of a file: the tree is unusable, and the thorough reader must read them all.</summary>
    public bool GaveUp { get; private set; }

    /// <summary>
    /// Parses one file into <see cref="Root"/>, then the files it includes. False when a file has syntax errors:
    /// past one the tree is a guess, and checking a guess would report errors the operator did not make.
    /// TOML-level errors (a key or table defined twice) are reported and checking goes on. Also false when the
    /// quick reader gave up.
    /// </summary>
    public bool Add(string file, string text)
    {
        _read.Add((file, text));
        if (!(thorough ? AddThoroughly(file, text) : AddQuickly(file, text))) return false;

        bool allParsed = true;
        _including.Push(Path.GetFullPath(file));
        foreach (TomlEntry entry in Root.Entries.Where(e => e.Key == ConfigIncludes.Key && e.KeyPosition.File == file).ToList())
        {
            foreach (string included in ConfigIncludes.Resolve(entry, file, errors, _wildcardDirectories))
            {
                allParsed &= AddIncluded(entry, included);
                if (GaveUp) return false;
            }
        }
        _including.Pop();
        return allParsed;
    }

    private bool AddQuickly(string file, string text)
    {
        GaveUp = !TomlTokenReader.TryRead(Root, text, file);
        return !GaveUp;
    }

    private bool AddThoroughly(string file, string text)
    {
        // One parse for a valid file (the common case, and the one a large reload pays for). Only when it
        // reports something is the file parsed again without validation, to tell syntax errors (stop here:
        // validating a broken tree reports noise) from validation errors (report them and go on).
        DocumentSyntax document = SyntaxParser.Parse(text, file, validate: true);
        if (document.HasErrors)
        {
            DocumentSyntax syntax = SyntaxParser.Parse(text, file, validate: false);
            if (syntax.HasErrors)
            {
                TomlDiagnostics.AddTo(errors, syntax.Diagnostics);
                return false;
            }
            TomlDiagnostics.AddTo(errors, document.Diagnostics);
        }
        TomlTreeBuilder.Merge(Root, document, errors);
        return true;
    }

    private bool AddIncluded(TomlEntry entry, string included)
    {
        if (_including.Contains(Path.GetFullPath(included)))
        {
            errors.Add(entry.Value.Position, $"`{ConfigIncludes.Key}` of {included} would include it inside itself; remove the cycle");
            return true;
        }
        if (_including.Count >= ConfigIncludes.MaxDepth)
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
        return Add(included, text);
    }
}
