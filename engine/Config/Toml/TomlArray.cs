namespace Proxy.Engine.Config.Toml;

/// <summary>An array: written inline (<c>[1, 2]</c>) or as an array of tables (<c>[[routes]]</c>), which TOML treats alike.</summary>
internal sealed class TomlArray(SourcePosition position, bool isArrayOfTables) : TomlValue(position)
{
    public List<TomlValue> Items { get; } = [];

    /// <summary>Made by <c>[[name]]</c> headers, so that later <c>[name.sub]</c> headers extend its last table.</summary>
    public bool IsArrayOfTables { get; } = isArrayOfTables;

    public override string Description => "an array";
}
