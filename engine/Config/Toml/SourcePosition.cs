using Tomlyn.Syntax;

namespace Proxy.Engine.Config.Toml;

/// <summary>A 1-based line and column, as editors and compilers count them (Tomlyn counts from 0).</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public static readonly SourcePosition FileStart = new(1, 1);

    public static SourcePosition From(TextPosition position) => new(position.Line + 1, position.Column + 1);

    public static SourcePosition Of(SyntaxNode node) => From(node.Span.Start);
}
