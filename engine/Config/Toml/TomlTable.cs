using System.Diagnostics.CodeAnalysis;

namespace Proxy.Engine.Config.Toml;

/// <summary>A table: the document itself, a <c>[header]</c> table, an element of <c>[[header]]</c>, or an inline table.</summary>
internal sealed class TomlTable(SourcePosition position) : TomlValue(position)
{
    // Most tables hold a handful of keys (a route, a destination), and a 10,000-route configuration holds
    // 10,000 of them: a scan of a few entries is as quick as hashing, and not keeping a dictionary per table
    // cuts what a large reload allocates and what the GC must carry. Large tables get a dictionary.
    private const int ScanLimit = 8;
    private readonly List<TomlEntry> _entries = [];
    private Dictionary<string, TomlEntry>? _byKey;

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
        if (_byKey is not null)
        {
            _byKey.TryAdd(entry.Key, entry);
        }
        else if (_entries.Count > ScanLimit)
        {
            _byKey = new Dictionary<string, TomlEntry>(_entries.Count * 2, StringComparer.Ordinal);
            foreach (TomlEntry earlier in _entries) _byKey.TryAdd(earlier.Key, earlier);
        }
    }

    /// <summary>The first entry with this key.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TomlEntry entry)
    {
        if (_byKey is not null) return _byKey.TryGetValue(key, out entry);
        foreach (TomlEntry candidate in _entries)
        {
            if (candidate.Key == key)
            {
                entry = candidate;
                return true;
            }
        }
        entry = null;
        return false;
    }
}
