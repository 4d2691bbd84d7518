using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Proxy.Engine.Config.Toml;

/// <summary>
/// The fast way to read a TOML file: straight from Tomlyn's lexer into the <see cref="TomlTable"/> tree, with
/// TOML's rules on where each piece belongs and what may not be defined twice applied here. It exists for large
/// configurations: Tomlyn's syntax tree plus its validation cost four to seven times what this does on 10,000 routes
/// (perf/RESULTS.md), and a reload pays it in full.
/// </summary>
/// <remarks>
/// It only answers when it is sure. At anything it does not expect — a lexer error, a token out of place, a
/// key or table defined twice, a table extended in a way TOML forbids, a date-time, a table another file
/// touched — it gives up (returns false, leaving a partly filled tree to be thrown away), and the loader reads
/// every file again the thorough way (<see cref="Tomlyn.Parsing.SyntaxParser"/> and <see cref="TomlTreeBuilder"/>),
/// which reports each error precisely. So its rules may be stricter than TOML's, never looser, and for
/// everything it accepts it builds exactly the tree the thorough way builds (positions included); a test
/// compares the two on many documents.
/// </remarks>
internal sealed class TomlTokenReader
{
    /// <summary>How a table read by a reader came to be, which decides what may still be added to it.</summary>
    internal enum Origin
    {
        Header,         // [a], an element of [[a]], or the document itself
        Implicit,       // a step of a longer header ([a] made by [a.b]): a later [a] may still define it
        Dotted,         // a step of a dotted key (a.b = 1 makes a): only more dotted keys of the same section extend it
        Inline,         // { ... }: closed once written
    }

    /// <summary>
    /// What a reader records on each table it makes (<see cref="TomlTable.Mark"/>): a table is only extended by the
    /// reader of its own file, never by one of another file.
    /// </summary>
    internal readonly record struct TableMark(TomlTokenReader Reader, Origin Origin, TomlTable? Section);

    private readonly string _text;
    private readonly TomlLexer _lexer;
    private readonly string _file;
    private readonly TomlTable _root;
    private readonly List<(string Name, SourcePosition Position)> _path = [];      // the key path being read
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _keys =
        new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();    // each key text once
    private TomlToken _token;

    private TomlTokenReader(string text, string file, TomlTable root)
    {
        _text = text;
        _lexer = TomlLexer.Create(text, new TomlLexerOptions { DecodeScalars = true }, file);
        _file = file;
        _root = root;
        Mark(root, Origin.Header);
    }

    /// <summary>
    /// Adds the content of one file to <paramref name="root"/> (which may hold files read before it). False when
    /// the reader is not sure; the tree is then unusable.
    /// </summary>
    public static bool TryRead(TomlTable root, string text, string file) => new TomlTokenReader(text, file, root).ReadDocument();

    private bool ReadDocument()
    {
        TomlTable section = _root;
        Next(TomlLexerMode.Key);
        while (true)
        {
            SkipWhitespace(TomlLexerMode.Key);
            switch (_token.Kind)
            {
                case TokenKind.Eof:
                    return !_lexer.HasErrors;
                case TokenKind.NewLine or TokenKind.Comment:
                    Next(TomlLexerMode.Key);
                    continue;
                case TokenKind.OpenBracket or TokenKind.OpenBracketDouble:
                    if (!TryReadHeader(out TomlTable? opened)) return false;
                    section = opened;
                    break;
                default:
                    if (!TryReadKeyValue(section, atRoot: section == _root)) return false;
                    break;
            }
            if (!AtEndOfLine()) return false;
            if (_token.Kind == TokenKind.NewLine) Next(TomlLexerMode.Key);
        }
    }

    // [a.b] or [[a.b]]: opens the table that the key-values below it fill.
    private bool TryReadHeader([NotNullWhen(true)] out TomlTable? opened)
    {
        opened = null;
        bool isArray = _token.Kind == TokenKind.OpenBracketDouble;
        SourcePosition headerPosition = Position(_token);
        Next(TomlLexerMode.Key);
        if (!TryReadKeyPath()) return false;
        if (_token.Kind != (isArray ? TokenKind.CloseBracketDouble : TokenKind.CloseBracket)) return false;
        Next(TomlLexerMode.Key);

        TomlTable? parent = _root;
        for (int i = 0; i < _path.Count - 1 && parent is not null; i++)
        {
            parent = StepIntoForHeader(parent, _path[i].Name, _path[i].Position);
        }
        if (parent is null) return false;
        (string name, SourcePosition namePosition) = _path[^1];
        opened = isArray ? AppendTableToArray(parent, name, namePosition, headerPosition) : DefineTable(parent, name, namePosition, headerPosition);
        return opened is not null;
    }

    private TomlTable? StepIntoForHeader(TomlTable parent, string name, SourcePosition position)
    {
        if (!parent.TryGet(name, out TomlEntry? entry)) return Create(parent, name, position, Origin.Implicit, section: null);
        return entry.Value switch
        {
            TomlTable table when OriginOf(table) is Origin.Header or Origin.Implicit => table,
            TomlArray { IsArrayOfTables: true, Items: [.., TomlTable last] } when OriginOf(last) == Origin.Header => last,
            _ => null,
        };
    }

    private TomlTable? AppendTableToArray(TomlTable parent, string name, SourcePosition namePosition, SourcePosition headerPosition)
    {
        TomlArray array;
        if (parent.TryGet(name, out TomlEntry? entry))
        {
            // Arrays of tables are the one thing several files may add to ([[routes]] in conf.d/*.toml).
            if (entry.Value is not TomlArray { IsArrayOfTables: true } existing) return null;
            array = existing;
        }
        else
        {
            array = new TomlArray(namePosition, isArrayOfTables: true);
            parent.Add(new TomlEntry(name, namePosition, array));
        }
        var element = new TomlTable(headerPosition);
        array.Items.Add(element);
        Mark(element, Origin.Header);
        return element;
    }

    private TomlTable? DefineTable(TomlTable parent, string name, SourcePosition namePosition, SourcePosition headerPosition)
    {
        if (parent.TryGet(name, out TomlEntry? entry))
        {
            // Only a table a longer header made may still get its own header, once.
            if (entry.Value is not TomlTable table || OriginOf(table) != Origin.Implicit || table.HeaderPosition is not null) return null;
            table.HeaderPosition = headerPosition;
            Mark(table, Origin.Header);
            return table;
        }
        var defined = new TomlTable(headerPosition) { HeaderPosition = headerPosition };
        parent.Add(new TomlEntry(name, namePosition, defined));
        Mark(defined, Origin.Header);
        return defined;
    }

    // key = value, in a header's table, the document, or an inline table. Leaves the token after the value current.
    private bool TryReadKeyValue(TomlTable section, bool atRoot)
    {
        if (!TryReadKeyPath() || _token.Kind != TokenKind.Equal) return false;

        TomlTable? parent = section;
        for (int i = 0; i < _path.Count - 1 && parent is not null; i++)
        {
            parent = StepIntoForDottedKey(parent, section, _path[i].Name, _path[i].Position);
        }
        if (parent is null) return false;
        // The path is read again by the keys of an inline table value: take what is needed of it before the value.
        (string name, SourcePosition position) = _path[^1];
        bool singleKey = _path.Count == 1;
        if (parent.TryGet(name, out TomlEntry? earlier))
        {
            // Every file may have its own `include`; any other key set twice is for the thorough reader to report.
            bool ownPerFile = atRoot && singleKey && name == ConfigIncludes.Key && earlier.KeyPosition.File != _file;
            if (!ownPerFile) return false;
        }

        Next(TomlLexerMode.Value);
        TomlValue? value = ReadValue();
        if (value is null) return false;
        parent.Add(new TomlEntry(name, position, value));
        Next(TomlLexerMode.Key);
        return true;
    }

    private TomlTable? StepIntoForDottedKey(TomlTable parent, TomlTable section, string name, SourcePosition position)
    {
        if (!parent.TryGet(name, out TomlEntry? entry)) return Create(parent, name, position, Origin.Dotted, section);
        return entry.Value is TomlTable table && table.Mark == new TableMark(this, Origin.Dotted, section) ? table : null;
    }

    private TomlTable Create(TomlTable parent, string name, SourcePosition position, Origin origin, TomlTable? section)
    {
        var created = new TomlTable(position);
        parent.Add(new TomlEntry(name, position, created));
        Mark(created, origin, section);
        return created;
    }

    // Null for a table of another file.
    private Origin? OriginOf(TomlTable table) => table.Mark.Reader == this ? table.Mark.Origin : null;

    private void Mark(TomlTable table, Origin origin, TomlTable? section = null) => table.Mark = new TableMark(this, origin, section);

    // One or more keys joined by dots; leaves the token after the last key current.
    private bool TryReadKeyPath()
    {
        _path.Clear();
        while (true)
        {
            SkipWhitespace(TomlLexerMode.Key);
            string? key = _token.Kind switch
            {
                TokenKind.BasicKey => KeyText(),
                TokenKind.String or TokenKind.StringLiteral => _token.StringValue,
                _ => null,
            };
            if (key is null) return false;
            _path.Add((key, Position(_token)));
            Next(TomlLexerMode.Key);
            SkipWhitespace(TomlLexerMode.Key);
            if (_token.Kind != TokenKind.Dot) return true;
            Next(TomlLexerMode.Key);
        }
    }

    // The value starting at the current token; leaves its last token current. Null when not sure.
    private TomlValue? ReadValue()
    {
        SkipWhitespace(TomlLexerMode.Value);
        SourcePosition position = Position(_token);
        switch (_token.Kind)
        {
            case TokenKind.String or TokenKind.StringMulti or TokenKind.StringLiteral or TokenKind.StringLiteralMulti:
                return _token.StringValue is { } text ? new TomlScalar(position, TomlScalarKind.String, text) : null;
            case TokenKind.Integer or TokenKind.IntegerHexa or TokenKind.IntegerOctal or TokenKind.IntegerBinary:
                return new TomlScalar(position, TomlScalarKind.Integer, unchecked((long)_token.Data));
            case TokenKind.Float or TokenKind.Infinite or TokenKind.PositiveInfinite or TokenKind.NegativeInfinite
                or TokenKind.Nan or TokenKind.PositiveNan or TokenKind.NegativeNan:
                return new TomlScalar(position, TomlScalarKind.Float, BitConverter.Int64BitsToDouble(unchecked((long)_token.Data)));
            case TokenKind.True or TokenKind.False:
                return new TomlScalar(position, TomlScalarKind.Boolean, _token.Kind == TokenKind.True);
            case TokenKind.OpenBracket:
                return ReadArray(position);
            case TokenKind.OpenBrace:
                return ReadInlineTable(position);
            default:
                return null;    // date-times (the configuration has none) and anything out of place
        }
    }

    private TomlArray? ReadArray(SourcePosition position)
    {
        var array = new TomlArray(position, isArrayOfTables: false);
        Next(TomlLexerMode.Value);
        while (true)
        {
            SkipLayout();
            if (_token.Kind == TokenKind.CloseBracket) return array;
            TomlValue? item = ReadValue();
            if (item is null) return null;
            array.Items.Add(item);
            Next(TomlLexerMode.Value);
            SkipLayout();
            if (_token.Kind == TokenKind.CloseBracket) return array;
            if (_token.Kind != TokenKind.Comma) return null;
            Next(TomlLexerMode.Value);
        }

        // Inside an array, new lines and comments may stand anywhere between values.
        void SkipLayout()
        {
            while (_token.Kind is TokenKind.Whitespaces or TokenKind.NewLine or TokenKind.Comment) Next(TomlLexerMode.Value);
        }
    }

    private TomlTable? ReadInlineTable(SourcePosition position)
    {
        var table = new TomlTable(position);
        Mark(table, Origin.Inline);
        Next(TomlLexerMode.Key);
        SkipWhitespace(TomlLexerMode.Key);
        if (_token.Kind == TokenKind.CloseBrace) return table;
        while (true)
        {
            // Its keys are a section of their own: dotted keys inside may build nested tables, nothing outside may.
            if (!TryReadKeyValue(table, atRoot: false)) return null;
            SkipWhitespace(TomlLexerMode.Key);
            if (_token.Kind == TokenKind.CloseBrace) return table;
            if (_token.Kind != TokenKind.Comma) return null;     // also TOML 1.1's new lines inside braces: not sure
            Next(TomlLexerMode.Key);
        }
    }

    // After a header or a key-value only a comment may follow on its line. Leaves the new line (or the end) current.
    // A bare key's text; a large file repeats a few keys thousands of times, so each is made into a string once.
    private string KeyText()
    {
        ReadOnlySpan<char> text = _text.AsSpan(_token.Start.Offset, _token.End.Offset - _token.Start.Offset + 1);
        if (_keys.TryGetValue(text, out string? known)) return known;
        string key = text.ToString();
        _keys[key] = key;
        return key;
    }

    private bool AtEndOfLine()
    {
        SkipWhitespace(TomlLexerMode.Key);
        if (_token.Kind == TokenKind.Comment) Next(TomlLexerMode.Key);
        return _token.Kind is TokenKind.NewLine or TokenKind.Eof;
    }

    private void SkipWhitespace(TomlLexerMode mode)
    {
        while (_token.Kind == TokenKind.Whitespaces) Next(mode);
    }

    // The lexer reads the next token in the mode given: keys and values are spelled differently (1979-05-27 is a
    // bare key on the left of '=' and a date on the right).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Next(TomlLexerMode mode)
    {
        _lexer.Mode = mode;
        _token = _lexer.MoveNext() ? _lexer.Current : default;     // default: TokenKind.Invalid, which nothing accepts
    }

    private SourcePosition Position(in TomlToken token) => new(token.Start.Line + 1, token.Start.Column + 1, _file);
}
