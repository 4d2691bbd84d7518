using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config.Schema;

/// <summary>What every reader of a value needs: where errors go, the environment for "${NAME}", and a note of which table each record came from.</summary>
internal sealed class ReadContext(ConfigErrors errors, Func<string, string?> environment)
{
    // By reference: two routes written identically are still two routes, each with its own lines.
    private readonly Dictionary<object, TomlTable> _sources = new(ReferenceEqualityComparer.Instance);

    public ConfigErrors Errors { get; } = errors;

    public Func<string, string?> Environment { get; } = environment;

    /// <summary>Records that <paramref name="record"/> was read from <paramref name="table"/>, for cross-checks that point back at lines.</summary>
    public void RememberSource(object record, TomlTable table) => _sources[record] = table;

    /// <summary>Where the value of <paramref name="key"/> of the table <paramref name="record"/> came from is written, or the table's own position.</summary>
    public SourcePosition PositionOf(object record, string key)
    {
        if (!_sources.TryGetValue(record, out TomlTable? table)) return SourcePosition.FileStart;
        return table.TryGet(key, out TomlEntry? entry) ? entry.Value.Position : table.Position;
    }

    /// <summary>Whether the table of <paramref name="record"/> wrote <paramref name="key"/> at all (false: a default is in use).</summary>
    public bool WasWritten(object record, string key) => ValueOf(record, key) is not null;

    /// <summary>The value written for <paramref name="key"/> in the table of <paramref name="record"/>, or null.</summary>
    public TomlValue? ValueOf(object record, string key) =>
        _sources.TryGetValue(record, out TomlTable? table) && table.TryGet(key, out TomlEntry? entry) ? entry.Value : null;
}
