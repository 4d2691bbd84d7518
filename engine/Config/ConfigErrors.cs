using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config;

/// <summary>Collects every error of one load, so the operator sees them all at once instead of one per try.</summary>
internal sealed class ConfigErrors(string mainFile)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<string> _files = [mainFile];

    public int Count => _errors.Count;

    /// <summary>Notes a file of the configuration (the main file is known already), so errors sort by file in load order.</summary>
    public void RegisterFile(string file)
    {
        if (!_files.Contains(file)) _files.Add(file);
    }

    public void Add(SourcePosition at, string message) =>
        _errors.Add(new ConfigError(at.File ?? _files[0], at.Line, at.Column, message));

    /// <summary>
    /// In file order (the main file, then included files as they were loaded), then top to bottom, as a reader
    /// fixing them wants them; errors at one place keep the order they were found in.
    /// </summary>
    public IReadOnlyList<ConfigError> InFileOrder() =>
        [.. _errors.OrderBy(error => FileRank(error.File)).ThenBy(error => error.Line).ThenBy(error => error.Column)];   // stable

    private int FileRank(string file)
    {
        int rank = _files.IndexOf(file);
        return rank < 0 ? int.MaxValue : rank;
    }
}
