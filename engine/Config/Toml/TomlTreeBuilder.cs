using Tomlyn.Syntax;

namespace Proxy.Engine.Config.Toml;

/// <summary>
/// Turns Tomlyn's syntax tree into a <see cref="TomlTable"/> tree following TOML's rules for where each
/// piece belongs: <c>[a.b]</c> after <c>[[a]]</c> extends the last element of <c>a</c>; dotted keys make
/// nested tables; <c>[[a]]</c> appends a table to the array <c>a</c>.
/// </summary>
/// <remarks>
/// Runs only on a document that parsed without syntax errors. Conflicts such as a table defined twice are
/// reported by Tomlyn's validation; here they are tolerated (the pieces are merged, or set aside in a detached
/// table), so that the rest of the file can still be checked and every error reported in one pass.
/// </remarks>
internal sealed class TomlTreeBuilder
{
    // Set when several files are merged: what TOML allows within one file but would be ambiguous across files
    // is reported here (one file's validation cannot see the others).
    private readonly ConfigErrors? _crossFileErrors;

    private TomlTreeBuilder(ConfigErrors? crossFileErrors) => _crossFileErrors = crossFileErrors;

    public static TomlTable Build(DocumentSyntax document)
    {
        var root = new TomlTable(SourcePosition.FileStart);
        new TomlTreeBuilder(null).Add(root, document);
        return root;
    }

    /// <summary>
    /// Adds one more file (an <c>include</c>) to <paramref name="root"/>, which holds the files read before it.
    /// Arrays of tables ([[routes]], ...) grow; a table written in two files, a key set in two files, or a
    /// [a.b] header continuing an [[a]] entry of another file is an error.
    /// </summary>
    public static void Merge(TomlTable root, DocumentSyntax document, ConfigErrors errors) =>
        new TomlTreeBuilder(errors).Add(root, document);

    private void Add(TomlTable root, DocumentSyntax document)
    {
        foreach (KeyValueSyntax keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue, atRoot: true);
        }
        foreach (TableSyntaxBase header in document.Tables)
        {
            TomlTable target = OpenHeaderTable(root, header);
            foreach (KeyValueSyntax keyValue in header.Items)
            {
                AddKeyValue(target, keyValue, atRoot: false);
            }
        }
    }

    private TomlTable OpenHeaderTable(TomlTable root, TableSyntaxBase header)
    {
        List<(string Name, SourcePosition Position)> path = KeyPath(header.Name);
        SourcePosition headerPosition = SourcePosition.Of(header);
        TomlTable parent = root;
        for (int i = 0; i < path.Count - 1; i++)
        {
            parent = Descend(parent, path[i].Name, path[i].Position);
        }
        if (path.Count == 0) return new TomlTable(headerPosition);
        (string name, SourcePosition namePosition) = path[^1];

        if (header is TableArraySyntax)
        {
            var element = new TomlTable(headerPosition);
            if (!parent.TryGet(name, out TomlEntry? existing))
            {
                var array = new TomlArray(namePosition, isArrayOfTables: true);
                parent.Add(new TomlEntry(name, namePosition, array));
                array.Items.Add(element);
            }
            else if (existing.Value is TomlArray { IsArrayOfTables: true } array)
            {
                array.Items.Add(element);
            }
            return element;
        }

        if (parent.TryGet(name, out TomlEntry? defined))
        {
            // Defined before, implicitly by a longer header or dotted key (allowed) or explicitly (Tomlyn reports
            // it within one file; across files it is ours to report).
            if (defined.Value is not TomlTable existing) return new TomlTable(headerPosition);
            if (existing.HeaderPosition is { } first && first.File != headerPosition.File && _crossFileErrors is not null)
            {
                _crossFileErrors.Add(headerPosition,
                    $"table [{HeaderText(header)}] is already written at {first.DescribeFrom(headerPosition)}; write each table in one file only");
                return new TomlTable(headerPosition);
            }
            existing.HeaderPosition ??= headerPosition;
            return existing;
        }
        var table = new TomlTable(headerPosition) { HeaderPosition = headerPosition };
        parent.Add(new TomlEntry(name, namePosition, table));
        return table;
    }

    // One step down a dotted path, creating the table if the step is new. A step into an array of tables
    // lands in its last element: that is how [clusters.pool] reaches the [[clusters]] written above it.
    private TomlTable Descend(TomlTable parent, string name, SourcePosition position)
    {
        if (parent.TryGet(name, out TomlEntry? entry))
        {
            if (entry.Value is TomlArray { IsArrayOfTables: true, Items: [.., TomlTable previous] } && previous.Position.File != position.File
                && _crossFileErrors is not null)
            {
                _crossFileErrors.Add(position,
                    $"`{name}` here would continue the [[{name}]] entry written at {previous.Position.DescribeFrom(position)}; start this file's entry with its own [[{name}]]");
                return new TomlTable(position);
            }
            return entry.Value switch
            {
                TomlTable table => table,
                TomlArray { IsArrayOfTables: true, Items: [.., TomlTable last] } => last,
                _ => new TomlTable(position),
            };
        }
        var created = new TomlTable(position);
        parent.Add(new TomlEntry(name, position, created));
        return created;
    }

    private void AddKeyValue(TomlTable table, KeyValueSyntax keyValue, bool atRoot)
    {
        List<(string Name, SourcePosition Position)> path = KeyPath(keyValue.Key);
        if (path.Count == 0 || keyValue.Value is null) return;
        TomlTable parent = table;
        for (int i = 0; i < path.Count - 1; i++)
        {
            parent = Descend(parent, path[i].Name, path[i].Position);
        }
        (string name, SourcePosition position) = path[^1];
        // Every file may have its own `include`; any other key set in two files is ambiguous.
        bool ownPerFile = atRoot && path.Count == 1 && name == ConfigIncludes.Key;
        if (!ownPerFile && _crossFileErrors is not null && parent.TryGet(name, out TomlEntry? earlier)
            && earlier.KeyPosition.File != position.File)
        {
            _crossFileErrors.Add(position, $"`{name}` is already set at {earlier.KeyPosition.DescribeFrom(position)}; set it in one file only");
            return;
        }
        parent.Add(new TomlEntry(name, position, Convert(keyValue.Value)));
    }

    private static string HeaderText(TableSyntaxBase header) =>
        string.Join('.', KeyPath(header.Name).Select(part => part.Name));

    private TomlValue Convert(ValueSyntax value)
    {
        SourcePosition position = SourcePosition.Of(value);
        switch (value)
        {
            case StringValueSyntax text:
                return new TomlScalar(position, TomlScalarKind.String, text.Value ?? "");
            case IntegerValueSyntax integer:
                return new TomlScalar(position, TomlScalarKind.Integer, integer.Value);
            case FloatValueSyntax number:
                return new TomlScalar(position, TomlScalarKind.Float, number.Value);
            case BooleanValueSyntax boolean:
                return new TomlScalar(position, TomlScalarKind.Boolean, boolean.Value);
            case ArraySyntax array:
                var items = new TomlArray(position, isArrayOfTables: false);
                foreach (ArrayItemSyntax item in array.Items)
                {
                    if (item.Value is not null) items.Items.Add(Convert(item.Value));
                }
                return items;
            case InlineTableSyntax inline:
                var table = new TomlTable(position);
                foreach (InlineTableItemSyntax item in inline.Items)
                {
                    if (item.KeyValue is not null) AddKeyValue(table, item.KeyValue, atRoot: false);
                }
                return table;
            default:
                // Date-times: the config has no use for them, but they must still get a "must be X, not a date-time" message.
                return new TomlScalar(position, TomlScalarKind.DateTime, value.ToString() ?? "");
        }
    }

    private static List<(string Name, SourcePosition Position)> KeyPath(KeySyntax? key)
    {
        var path = new List<(string, SourcePosition)>();
        if (key?.Key is not null) path.Add((KeyText(key.Key), SourcePosition.Of(key.Key)));
        if (key is null) return path;
        foreach (DottedKeyItemSyntax dotted in key.DotKeys)
        {
            if (dotted.Key is not null) path.Add((KeyText(dotted.Key), SourcePosition.Of(dotted.Key)));
        }
        return path;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };
}
