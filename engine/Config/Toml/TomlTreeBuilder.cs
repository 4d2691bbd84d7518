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
internal static class TomlTreeBuilder
{
    public static TomlTable Build(DocumentSyntax document)
    {
        var root = new TomlTable(SourcePosition.FileStart);
        foreach (KeyValueSyntax keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue);
        }
        foreach (TableSyntaxBase header in document.Tables)
        {
            TomlTable target = OpenHeaderTable(root, header);
            foreach (KeyValueSyntax keyValue in header.Items)
            {
                AddKeyValue(target, keyValue);
            }
        }
        return root;
    }

    private static TomlTable OpenHeaderTable(TomlTable root, TableSyntaxBase header)
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
            // Defined before, implicitly by a longer header or dotted key (allowed) or explicitly (Tomlyn reports it).
            return defined.Value as TomlTable ?? new TomlTable(headerPosition);
        }
        var table = new TomlTable(headerPosition);
        parent.Add(new TomlEntry(name, namePosition, table));
        return table;
    }

    // One step down a dotted path, creating the table if the step is new. A step into an array of tables
    // lands in its last element: that is how [clusters.pool] reaches the [[clusters]] written above it.
    private static TomlTable Descend(TomlTable parent, string name, SourcePosition position)
    {
        if (parent.TryGet(name, out TomlEntry? entry))
        {
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

    private static void AddKeyValue(TomlTable table, KeyValueSyntax keyValue)
    {
        List<(string Name, SourcePosition Position)> path = KeyPath(keyValue.Key);
        if (path.Count == 0 || keyValue.Value is null) return;
        TomlTable parent = table;
        for (int i = 0; i < path.Count - 1; i++)
        {
            parent = Descend(parent, path[i].Name, path[i].Position);
        }
        parent.Add(new TomlEntry(path[^1].Name, path[^1].Position, Convert(keyValue.Value)));
    }

    private static TomlValue Convert(ValueSyntax value)
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
                    if (item.KeyValue is not null) AddKeyValue(table, item.KeyValue);
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
