using System.Globalization;
using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Config.Toml;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Proxy.Engine.Tests.Config;

/// <summary>
/// The quick TOML reader against the thorough one (Tomlyn's syntax tree, its validation, TomlTreeBuilder): on
/// every document, it either gives up or builds exactly the same tree, and it gives up on every document the
/// thorough reader finds an error in. Hand-picked documents cover TOML's rules; generated ones, built to collide
/// (few key names, every kind of header and key), cover their combinations.
/// </summary>
public sealed class TomlTokenReaderTests
{
    private const string File = "test.toml";

    public static TheoryData<string> ValidDocuments() =>
    [
        "",
        "# only a comment\n\n",
        "a = 1\nb = \"two\"\nc = 'lit'\nd = 1.5\ne = true\nf = false\n",
        "a = \"\"\"\nmulti\\\n   line\"\"\"\nb = '''\nraw\\n'''\n",
        "a = \"tab\\there \\u00e9 \\\"q\\\"\"\n",
        "a = 0x1F\nb = 0o17\nc = 0b101\nd = -42\ne = +7\nf = 1_000\n",
        "a = inf\nb = -inf\nc = nan\nd = 6.02e23\ne = -1e-3\n",
        "a = [1, 2, 3]\nb = []\nc = [ [1, 2], ['x'] ]\nd = [\n  1, # one\n  2,\n]\n",
        "a = { x = 1, y.z = \"q\" }\nb = {}\nc = [{ n = 1 }, { n = 2 }]\n",
        "[t]\nx = 1\n[u]\ny = 2\n[t.v]\nz = 3\n",
        "[a.b.c]\nx = 1\n[a]\ny = 2\n",
        "[[r]]\nn = 1\n[r.s]\nm = 2\n[[r]]\nn = 3\n[[r.k]]\nq = 1\n[[r.k]]\nq = 2\n",
        "[ a . \"b c\" . 'd' ]\nx = 1\n",
        "\"quoted key\" = 1\n'literal key' = 2\n1234 = 3\ntrue = 4\n",
        "a.b.c = 1\na.b.d = 2\na.e = 3\n",
        "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n",
        "  indented = 1\n\t[ t ]  # comment\n  x = 2   # trailing\n",
        "a = 1\r\nb = 2\r\n[t]\r\nc = 3\r\n",
        "a=1#no spaces\n",
        "last = \"no new line at the end\"",
        "a.\"\" = 1\n",
    ];

    /// <summary>Invalid TOML, a date-time, or what TOML 1.1 allows and the quick reader leaves to the thorough one.</summary>
    public static TheoryData<string> DocumentsToGiveUpOn() =>
    [
        "a = 1\na = 2\n",
        "[t]\nx = 1\n[t]\ny = 2\n",
        "[t]\nx = 1\n[u]\n[t]\n",
        "a = [1]\n[[a]]\n",
        "[[a]]\n[a]\n",
        "[a]\n[[a]]\n",
        "a = { x = 1 }\n[a.b]\n",
        "a = { x = 1 }\na.y = 2\n",
        "a.b = 1\n[a]\n",
        "a.b = 1\na = 2\n",
        "a = 1\na.b = 2\n",
        "[a.b]\n[a]\nb = 1\n",
        "[a.b.c]\n[a]\nb.d = 1\n",
        "[t]\na.b = 1\n[t.a]\n",
        "[t]\na.b = 1\n[u]\n[t.a.c]\n",
        "a = 01\n",
        "a = -0x10\n",
        "a = 1__0\n",
        "a = \"unterminated\nb = 2\n",
        "a = \"bad \\q escape\"\n",
        "a =\n",
        "= 1\n",
        "a = 1 b = 2\n",
        "[t] x = 1\n",
        "[t\n",
        "[[t]\n",
        "a = [1, 2\n",
        "a = { x = 1\n",
        "a = { x = 1, x = 2 }\n",
        "a = { x = 1, }\n",
        "a = { x = 1,\n y = 2 }\n",
        "a = 1979-05-27T07:32:00Z\n",
        "a = 07:32:00\n",
        "a = [1, 1979-05-27]\n",
        "\"\"\"multi\"\"\" = 1\n",
        "a = tru\n",
    ];

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void TryRead_ValidDocument_BuildsTheThoroughTree(string document) => Assert.True(AssertAgrees(document));

    [Theory]
    [MemberData(nameof(DocumentsToGiveUpOn))]
    public void TryRead_DocumentItIsNotSureOf_GivesUp(string document) => Assert.False(AssertAgrees(document));

    [Fact]
    public void TryRead_AcceptsTheReferenceConfigAndTheShippedConfigs()
    {
        // Were it to give up on real configurations, large reloads would never take the quick way.
        Assert.True(TomlTokenReader.TryRead(new TomlTable(SourcePosition.FileStart), ReferenceConfig.Full, File));
        string configs = Path.Combine(RepositoryFiles.Root(), "configs");
        foreach (string path in Directory.EnumerateFiles(configs, "*.toml", SearchOption.AllDirectories))
        {
            string text = System.IO.File.ReadAllText(path);
            Assert.True(TomlTokenReader.TryRead(new TomlTable(SourcePosition.FileStart), text, path), path);
            AssertAgrees(text, path);
        }
    }

    [Fact]
    public void TryRead_GeneratedDocuments_AgreeWithTheThoroughReader()
    {
        int accepted = 0;
        int rejected = 0;
        for (int seed = 0; seed < 3000; seed++)
        {
            string document = GeneratedDocument(new Random(seed));
            bool quick = AssertAgrees(document);
            if (quick) accepted++;
            else rejected++;
        }
        // Both outcomes must be common, or the comparison would prove little.
        Assert.True(accepted > 300, $"the quick reader accepted only {accepted} of 3000 generated documents");
        Assert.True(rejected > 300, $"the quick reader gave up on only {rejected} of 3000 generated documents");
    }

    [Fact]
    public void TryRead_IncludedFiles_AppendToArraysOfTablesLikeTheThoroughReader()
    {
        (ConfigFileSet quick, ConfigFileSet thorough) = ReadBothWays(
            "include = [\"more.toml\"]\n[[routes]]\nname = \"a\"\n[server]\nworkers = 1\n",
            "include = []\n[[routes]]\nname = \"b\"\n[limits]\nmax_headers = 5\n");

        Assert.False(quick.GaveUp);
        Assert.Equal(Describe(thorough.Root), Describe(quick.Root));
        Assert.Contains("\"b\"", Describe(quick.Root), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_IncludedFileRedefiningATable_GivesUp()
    {
        (ConfigFileSet quick, _) = ReadBothWays(
            "include = [\"more.toml\"]\n[server]\nworkers = 1\n",
            "[server]\nshutdown_timeout = \"1s\"\n");

        Assert.True(quick.GaveUp);
    }

    // Writes main.toml and the more.toml it includes to a fresh directory and reads them the quick and the thorough way.
    private static (ConfigFileSet Quick, ConfigFileSet Thorough) ReadBothWays(string mainText, string includedText)
    {
        string directory = Directory.CreateTempSubdirectory("toml-reader").FullName;
        try
        {
            string main = Path.Combine(directory, "main.toml");
            System.IO.File.WriteAllText(main, mainText);
            System.IO.File.WriteAllText(Path.Combine(directory, "more.toml"), includedText);
            return (Read(main, thorough: false), Read(main, thorough: true));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ConfigFileSet Read(string main, bool thorough)
    {
        var files = new ConfigFileSet(new ConfigErrors(main), thorough);
        files.Add(main, System.IO.File.ReadAllText(main));
        return files;
    }

    // Returns whether the quick reader accepted the document.
    private static bool AssertAgrees(string document, string file = File)
    {
        var quickRoot = new TomlTable(SourcePosition.FileStart);
        bool quick = TomlTokenReader.TryRead(quickRoot, document, file);

        DocumentSyntax syntax = SyntaxParser.Parse(document, file, validate: true);
        bool thoroughFindsErrors = syntax.HasErrors;
        if (quick)
        {
            Assert.False(thoroughFindsErrors, $"the quick reader accepted a document with errors:\n{document}\n{string.Join('\n', syntax.Diagnostics)}");
            var thoroughRoot = new TomlTable(SourcePosition.FileStart);
            var errors = new ConfigErrors(file);
            TomlTreeBuilder.Merge(thoroughRoot, syntax, errors);
            Assert.Equal(Describe(thoroughRoot), Describe(quickRoot));
        }
        return quick;
    }

    /// <summary>The whole tree as text: every key, kind, value and position, in order.</summary>
    private static string Describe(TomlValue value)
    {
        var text = new StringBuilder();
        Describe(value, text, indent: 0);
        return text.ToString();
    }

    private static void Describe(TomlValue value, StringBuilder text, int indent)
    {
        string pad = new(' ', indent * 2);
        switch (value)
        {
            case TomlTable table:
                text.Append(CultureInfo.InvariantCulture, $"table @{Where(table.Position)} header @{(table.HeaderPosition is { } h ? Where(h) : "-")}\n");
                foreach (TomlEntry entry in table.Entries)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{pad}  \"{entry.Key}\" @{Where(entry.KeyPosition)} = ");
                    Describe(entry.Value, text, indent + 1);
                }
                break;
            case TomlArray array:
                text.Append(CultureInfo.InvariantCulture, $"array{(array.IsArrayOfTables ? " of tables" : "")} @{Where(array.Position)}\n");
                foreach (TomlValue item in array.Items)
                {
                    text.Append(pad).Append("  - ");
                    Describe(item, text, indent + 1);
                }
                break;
            case TomlScalar scalar:
                string shown = scalar.Value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? "";
                text.Append(CultureInfo.InvariantCulture, $"{scalar.Kind} \"{shown}\" @{Where(scalar.Position)}\n");
                break;
        }
    }

    private static string Where(SourcePosition position) => $"{position.File}:{position.Line}:{position.Column}";

    // A document from a small TOML grammar over three key names, so that redefinitions, dotted keys into header
    // tables, headers into inline tables and the like happen often, valid and not.
    private static string GeneratedDocument(Random random)
    {
        string[] names = ["a", "b", "c"];
        string Key() => random.Next(8) switch
        {
            0 => "\"" + names[random.Next(names.Length)] + "\"",
            1 => "'" + names[random.Next(names.Length)] + "'",
            _ => names[random.Next(names.Length)],
        };
        string Path(int maxLength)
        {
            int length = 1 + random.Next(maxLength);
            return string.Join(random.Next(4) == 0 ? " . " : ".", Enumerable.Range(0, length).Select(_ => Key()));
        }
        string Value(int depth) => random.Next(depth > 1 ? 7 : 11) switch
        {
            0 => random.Next(-5, 100).ToString(CultureInfo.InvariantCulture),
            1 => "\"s" + random.Next(10) + (random.Next(3) == 0 ? "\\n\\u0041" : "") + "\"",
            2 => "'lit" + random.Next(10) + "'",
            3 => random.Next(2) == 0 ? "true" : "false",
            4 => (random.Next(100) / 8.0).ToString("0.0##", CultureInfo.InvariantCulture),
            5 => "0x" + random.Next(256).ToString("X", CultureInfo.InvariantCulture),
            6 => random.Next(20) == 0 ? "1979-05-27" : "\"\"",
            7 or 8 => "[" + string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(_ => Value(depth + 1))) + (random.Next(4) == 0 ? ",\n" : "") + "]",
            _ => "{" + string.Join(", ", Enumerable.Range(0, random.Next(3)).Select(_ => Path(2) + " = " + Value(depth + 1))) + "}",
        };

        var text = new StringBuilder();
        int lines = 1 + random.Next(8);
        for (int i = 0; i < lines; i++)
        {
            switch (random.Next(10))
            {
                case 0 or 1:
                    text.Append('[').Append(Path(3)).Append("]\n");
                    break;
                case 2:
                    text.Append("[[").Append(Path(2)).Append("]]\n");
                    break;
                case 3:
                    text.Append("# comment\n");
                    break;
                default:
                    text.Append(Path(3)).Append(" = ").Append(Value(0)).Append(random.Next(5) == 0 ? " # note" : "").Append('\n');
                    break;
            }
        }
        return text.ToString();
    }
}
