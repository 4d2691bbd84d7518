using Tomlyn.Syntax;

namespace Proxy.Engine.Config.Toml;

/// <summary>
/// A 1-based line and column, as editors and compilers count them (Tomlyn counts from 0), and the file they
/// are in: with <c>include</c> a configuration spans several files. A null file means the main one.
/// </summary>
internal readonly record struct SourcePosition(int Line, int Column, string? File = null)
{
    public static readonly SourcePosition FileStart = new(1, 1);

    public static SourcePosition From(TextPosition position, string? file) => new(position.Line + 1, position.Column + 1, file);

    public static SourcePosition Of(SyntaxNode node) => From(node.Span.Start, node.Span.FileName);

    /// <summary>
    /// How an error reported at <paramref name="here"/> should point at this earlier place: "line 12" in the
    /// same file, "conf.d/api.toml:12" in another.
    /// </summary>
    public string DescribeFrom(SourcePosition here) =>
        File is null || File == here.File ? $"line {Line}" : $"{File}:{Line}";
}
