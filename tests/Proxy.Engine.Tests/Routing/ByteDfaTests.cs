using System.Text;
using System.Text.RegularExpressions;
using Proxy.Engine.Routing;
using Proxy.Engine.Routing.RegexDfa;

namespace Proxy.Engine.Tests.Routing;

/// <summary>
/// The byte automaton against .NET's own engine: for every pattern it accepts, it must answer exactly as
/// <c>Regex.IsMatch</c> does on the same bytes read as Latin-1; patterns outside its subset must be declined.
/// </summary>
public sealed class ByteDfaTests
{
    private static readonly byte[] InputAlphabet = "ab/.-01 _x\n"u8.ToArray().Concat(new byte[] { 0xE9, 0xAA, 0xB5, 0xA0, 0x85, 0xFF, 0x00, 0x09 }).ToArray();

    public static TheoryData<string> HandPickedPatterns() =>
    [
        "^/re1/[0-9]+/(edit|view)$", "^/api/", "/api", "a", "^a$", "^$", "^", "$", "a$", "^a", "x*", "a|b|", "(a|)+$",
        "^/items/\\d{2,4}$", "\\w+", "^\\W", "\\s", "\\S+$", "\\D", "[^a/]", "[a-c/]+", "[\\w.-]+@", "[-a]", "[a-]", "[.]",
        "\\.", "\\/", "\\x41|\\x61", "\\u00e9", "\\u0100", "\\t|\\n", "[\\b]", "a{3}", "a{2,}", "a{0,2}b", "(ab){1,3}$",
        "(?:a|b)*c", "(?<name>a+)b", "(?'n'a)", "a+?", "a*?b", "a??", "^(a+)+$", "^(a|a)*$", "^(a*)*b$", ".", "^.$",
        "^.*$", "é", "[à-ÿ]", "[^\\s]", "[\\d\\s]", "]", "}", "#", " ", "^/a b/", "\\#", "(((a)))", "^(/[a-z]+)+/?$", "(^a)", "(^/a$)",
    ];

    public static TheoryData<string> DeclinedPatterns() =>
    [
        "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "\\bword\\b", "(a)\\1", "\\k<x>", "(?i)abc", "(?>a+)", "\\p{L}", "\\P{L}",
        "[a-z-[aeiou]]", "a^b", "a$b", "^a|^b", "a|b$", "(^a)b", "(^a)*", "\\A", "\\z", "\\Z", "\\G", "\\0", "\\cA", "[]a]", "a{1000}",
        "(?#comment)a", "a{2}{3}", "[\\d-z]", "a{,2}",
    ];

    [Theory]
    [MemberData(nameof(HandPickedPatterns))]
    public void HandPickedPattern_AnswersAsDotNet(string pattern)
    {
        ByteDfa? dfa = ByteDfa.TryBuild(pattern);
        Assert.NotNull(dfa);
        var random = new Random(pattern.GetHashCode(StringComparison.Ordinal));
        foreach (byte[] input in Inputs(random, 300).Append(Encoding.Latin1.GetBytes("/re1/12345/edit")).Append(Encoding.Latin1.GetBytes("a\n")))
        {
            AssertSameAnswer(pattern, dfa, input);
        }
    }

    [Theory]
    [MemberData(nameof(DeclinedPatterns))]
    public void PatternOutsideTheSubset_IsDeclined_AndStillMatchesThroughDotNet(string pattern)
    {
        Assert.Null(ByteDfa.TryBuild(pattern));
        Regex? dotNet = TryDotNet(pattern);
        if (dotNet is null) return;   // .NET refuses it too (or cannot run it without backtracking): config validation reports it
        var regex = new ByteRegex(pattern);
        Assert.False(regex.HasAutomaton);
        foreach (byte[] input in Inputs(new Random(7), 50))
        {
            Assert.Equal(dotNet.IsMatch(Encoding.Latin1.GetString(input)), regex.IsMatchLatin1(input));
        }
    }

    [Fact]
    public void GeneratedPatterns_AnswerAsDotNet_OnGeneratedInputs()
    {
        var random = new Random(20261124);
        int built = 0, tried = 0;
        var declined = new List<string>();
        for (int p = 0; p < 3_000; p++)
        {
            string pattern = RandomPattern(random);
            if (TryDotNet(pattern) is null) continue;
            tried++;
            ByteDfa? dfa = ByteDfa.TryBuild(pattern);
            if (dfa is null)
            {
                if (declined.Count < 12) declined.Add(pattern);
                continue;
            }
            built++;
            foreach (byte[] input in Inputs(random, 40)) AssertSameAnswer(pattern, dfa, input);
        }
        // The generator writes only the subset, so nearly all of it must be built: a parser declining everything would pass the comparisons above.
        Assert.True(built >= tried * 95 / 100, $"built {built} of {tried}; declined, for example: {string.Join("  ", declined)}");
    }

    [Fact]
    public void CatastrophicForBacktracking_RunsOnTheAutomaton()
    {
        var regex = new ByteRegex("^(a+)+$");
        Assert.True(regex.HasAutomaton);
        byte[] text = Encoding.Latin1.GetBytes(new string('a', 100_000) + "!");
        Assert.False(regex.IsMatchLatin1(text));
        Assert.True(regex.IsMatchLatin1(text.AsSpan(0, 100_000)));
    }

    [Fact]
    public void TooLargeAnAutomaton_RunsOnDotNet()
    {
        // (a|b)*a(a|b){n}: the subset construction needs 2^n states.
        var regex = new ByteRegex("(a|b)*a(a|b){12}$");
        Assert.False(regex.HasAutomaton);
        Assert.True(regex.IsMatchLatin1("abbbbbbbbbbbb"u8));
        Assert.False(regex.IsMatchLatin1("bbbbbbbbbbbbb"u8));
    }

    [Fact]
    public void ManyClassesRepeatedManyTimes_IsDeclined_AndRunsOnDotNet()
    {
        // 40 classes a hundred times over: the automaton's build would take seconds before being found too large.
        string classes = string.Join('|', Enumerable.Range(0, 40).Select(i => $"[\\x{i * 6:X2}-\\x{i * 6 + 5:X2}]"));
        string pattern = $"(?:{classes}|x){{100}}";
        Assert.Null(ByteDfa.TryBuild(pattern));
        var regex = new ByteRegex(pattern);
        Assert.False(regex.HasAutomaton);
        Assert.True(regex.IsMatchLatin1(Encoding.Latin1.GetBytes(new string('x', 100))));
        Assert.False(regex.IsMatchLatin1(Encoding.Latin1.GetBytes(new string('x', 99))));
    }

    private static void AssertSameAnswer(string pattern, ByteDfa dfa, byte[] input)
    {
        bool expected = DotNet(pattern).IsMatch(Encoding.Latin1.GetString(input));
        Assert.True(expected == dfa.IsMatch(input), $"pattern {pattern} on [{Convert.ToHexString(input)}]: .NET says {expected}");
    }

    private static readonly Dictionary<string, Regex?> DotNetCache = [];

    private static Regex DotNet(string pattern) => TryDotNet(pattern) ?? throw new InvalidOperationException(pattern);

    private static Regex? TryDotNet(string pattern)
    {
        lock (DotNetCache)
        {
            if (DotNetCache.TryGetValue(pattern, out Regex? cached)) return cached;
            Regex? regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                regex = null;
            }
            DotNetCache[pattern] = regex;
            return regex;
        }
    }

    private static IEnumerable<byte[]> Inputs(Random random, int count)
    {
        yield return [];
        for (int i = 0; i < count; i++)
        {
            var input = new byte[random.Next(0, 13)];
            for (int j = 0; j < input.Length; j++) input[j] = InputAlphabet[random.Next(InputAlphabet.Length)];
            yield return input;
        }
    }

    private static string RandomPattern(Random random)
    {
        bool start = random.Next(2) == 0, end = random.Next(2) == 0;
        string body = RandomAlternation(random, depth: 0);
        // "^a|b" anchors only its first choice, which the subset declines; "^(?:a|b)" is what a route writes.
        if ((start || end) && body.Contains('|', StringComparison.Ordinal)) body = "(?:" + body + ")";
        return (start ? "^" : "") + body + (end ? "$" : "");
    }

    private static string RandomAlternation(Random random, int depth)
    {
        int choices = random.Next(4) == 0 ? 2 : 1;
        return string.Join('|', Enumerable.Range(0, choices).Select(_ => RandomConcat(random, depth)));
    }

    private static string RandomConcat(Random random, int depth)
    {
        var text = new StringBuilder();
        int items = random.Next(0, 4);
        for (int i = 0; i < items; i++) text.Append(RandomAtom(random, depth)).Append(RandomQuantifier(random));
        return text.ToString();
    }

    private static readonly string[] Atoms =
    [
        "a", "b", "/", "\\.", "-", "0", "é", "\\n", " ", "_", ".", "[ab]", "[^a/]", "[0-9]", "[a-c/]", "\\d", "\\w", "\\s",
        "\\D", "\\W", "\\S", "[\\w/]", "[^\\s]", "\\x2F", "\\u00AA", "[\\xA0-\\xFF]", "\\t",
    ];

    private static string RandomAtom(Random random, int depth)
    {
        if (depth < 2 && random.Next(6) == 0)
        {
            string opening = random.Next(3) switch { 0 => "(", 1 => "(?:", _ => "(?<g>" };
            return opening + RandomAlternation(random, depth + 1) + ")";
        }
        return Atoms[random.Next(Atoms.Length)];
    }

    private static string RandomQuantifier(Random random)
    {
        string quantifier = random.Next(10) switch
        {
            0 => "*",
            1 => "+",
            2 => "?",
            3 => $"{{{random.Next(0, 3)}}}",
            4 => $"{{{random.Next(0, 3)},}}",
            5 => $"{{{random.Next(0, 2)},{random.Next(2, 4)}}}",
            _ => "",
        };
        return quantifier.Length > 0 && random.Next(4) == 0 ? quantifier + "?" : quantifier;
    }
}
