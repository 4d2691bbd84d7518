using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Proxy.Engine.Routing;

namespace Proxy.Benchmarks.Routing;

/// <summary>
/// What a path_regex match costs on the path of RouteLookupBenchmarks' regex row: our byte automaton (what routes use
/// for patterns in its subset; linear in the path's length whatever the pattern), .NET's NonBacktracking (what routes
/// use for the rest; linear too; on chars, so the bytes are widened first in real use), Compiled with and without a
/// match timeout (faster, but a backtracking engine: a pattern such as <c>^(a+)+$</c> takes exponential time, which a
/// timeout only bounds per request), and the interpreter. Also NonBacktracking on the path without the literal prefix
/// the routing tree has already matched, to show what trimming it would save.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class RegexEngineBenchmarks
{
    private const string Pattern = "^/re1/[0-9]+/(edit|view)$";
    private static readonly char[] Path = "/re1/12345/edit".ToCharArray();
    private static readonly char[] PathAfterPrefix = "12345/edit".ToCharArray();

    private static readonly byte[] PathBytes = "/re1/12345/edit"u8.ToArray();

    private readonly ByteRegex _automaton = new(Pattern);
    private readonly Regex _nonBacktracking = new(Pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
    private readonly Regex _nonBacktrackingAfterPrefix = new("^[0-9]+/(edit|view)$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
    private readonly Regex _compiled = new(Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private readonly Regex _compiledWithTimeout = new(Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(10));
    private readonly Regex _interpreted = new(Pattern, RegexOptions.CultureInvariant);

    [Benchmark(Description = "byte automaton (in use)")]
    public bool Automaton() => _automaton.IsMatchLatin1(PathBytes);

    [Benchmark(Baseline = true, Description = "NonBacktracking")]
    public bool NonBacktracking() => _nonBacktracking.IsMatch(Path);

    [Benchmark(Description = "NonBacktracking, after the literal prefix")]
    public bool NonBacktrackingAfterPrefix() => _nonBacktrackingAfterPrefix.IsMatch(PathAfterPrefix);

    [Benchmark(Description = "Compiled (backtracking)")]
    public bool Compiled() => _compiled.IsMatch(Path);

    [Benchmark(Description = "Compiled, 10 ms match timeout")]
    public bool CompiledWithTimeout() => _compiledWithTimeout.IsMatch(Path);

    [Benchmark(Description = "interpreted (backtracking)")]
    public bool Interpreted() => _interpreted.IsMatch(Path);
}
