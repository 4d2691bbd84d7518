using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config;

/// <summary>Collects every error of one load, so the operator sees them all at once instead of one per try.</summary>
internal sealed class ConfigErrors(string file)
{
    private readonly List<ConfigError> _errors = [];

    public int Count => _errors.Count;

    public void Add(SourcePosition at, string message) => _errors.Add(new ConfigError(file, at.Line, at.Column, message));

    /// <summary>In file order, as a reader fixing them top to bottom wants them; errors at one place keep the order they were found in.</summary>
    public IReadOnlyList<ConfigError> InFileOrder() =>
        [.. _errors.OrderBy(error => error.Line).ThenBy(error => error.Column)];    // OrderBy is stable
}
