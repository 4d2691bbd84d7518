using System.Text.RegularExpressions;
using Proxy.Engine.Routing.RegexDfa;

namespace Proxy.Engine.Routing;

/// <summary>
/// A route's regular expression (path_regex, a header's regex), run over request bytes read as Latin-1, one char
/// per byte. Patterns in the subset <see cref="RegexSubsetParser"/> reads, which is nearly every routing pattern,
/// run on their own byte automaton (<see cref="ByteDfa"/>); the rest on .NET's NonBacktracking engine. Both take
/// time linear in the text whatever the pattern, so no request can make matching catastrophic, and both give the
/// same answers (tests/Proxy.Engine.Tests/Routing/ByteDfaTests.cs compares them). The automaton skips .NET's
/// per-call set-up and the widening of bytes to chars: about 20 ns where .NET takes 67 on a 15-byte path
/// (perf/RESULTS.md).
/// </summary>
internal sealed class ByteRegex
{
    private readonly ByteDfa? _dfa;

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when .NET refuses it.</summary>
    public ByteRegex(string pattern)
    {
        Regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        _dfa = ByteDfa.TryBuild(pattern);
    }

    /// <summary>.NET's compiled pattern: what runs when the automaton does not, and for text that is not Latin-1 bytes.</summary>
    public Regex Regex { get; }

    /// <summary>Whether the pattern runs on its own automaton rather than .NET's engine.</summary>
    public bool HasAutomaton => _dfa is not null;

    /// <summary>Whether the pattern is found in <paramref name="text"/>, read as Latin-1.</summary>
    public bool IsMatchLatin1(ReadOnlySpan<byte> text) => _dfa?.IsMatch(text) ?? ByteText.RegexFindsLatin1(Regex, text);
}
