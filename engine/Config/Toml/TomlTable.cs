using System.Diagnostics.CodeAnalysis;

namespace Proxy.Engine.Config.Toml;

/// <summary>A table: the document itself, a <c>[header]</c> table, an element of <c>[[header]]</c>, or an inline table.</summary>
internal sealed class TomlTable(SourcePosition position) : TomlValue(position)
{
    private readonly List<TomlEntry> _entries = [];
    private readonly Dictionary<string, TomlEntry> _byKey = new(StringComparer.Ordinal);

    /// <summary>
    /// Every entry in the order written. A key written twice appears twice (Tomlyn reports the duplicate), so
    /// both values still get checked.
    /// </summary>
    public IReadOnlyList<TomlEntry> Entries => _entries;

    public override string Description => "a table";

    /// <summary>Where a <c>[header]</c> explicitly defines this table, if one does (not for implicit or inline tables).</summary>
    public SourcePosition? HeaderPosition { get; set; }

    /// <summary>Set by the <see cref="TomlTokenReader"/> that made the table; default for tables of <see cref="TomlTreeBuilder"/>.</summary>
    public TomlTokenReader.TableMark Mark { get; set; }

    public void Add(TomlEntry entry)
    {
        _entries.Add(entry);
        _byKey.TryAdd(entry.Key, entry);
    }

    /// <summary>The first entry with this key.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TomlEntry entry) => _byKey.TryGetValue(key, out entry);
}
