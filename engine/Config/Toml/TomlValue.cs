namespace Proxy.Engine.Config.Toml;

/// <summary>
/// A value of the document, with where it starts. The loader reads this small tree rather than Tomlyn's
/// syntax tree, because TOML spreads one table over many places ([[clusters]] then [clusters.pool],
/// dotted keys, inline tables) and the tree puts each piece where TOML semantics say it belongs.
/// </summary>
internal abstract class TomlValue(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    /// <summary>"a string", "an integer", ...: the noun used in "must be X, not Y" messages.</summary>
    public abstract string Description { get; }
}
