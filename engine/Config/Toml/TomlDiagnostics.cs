using Tomlyn.Syntax;

namespace Proxy.Engine.Config.Toml;

/// <summary>Tomlyn's syntax and validation messages, as <see cref="ConfigError"/>s.</summary>
internal static class TomlDiagnostics
{
    public static void AddTo(ConfigErrors errors, DiagnosticsBag diagnostics)
    {
        DiagnosticMessage? previous = null;
        foreach (DiagnosticMessage diagnostic in diagnostics)
        {
            if (diagnostic.Kind != DiagnosticMessageKind.Error) continue;
            // After one slip Tomlyn's recovery often trips again on the same line, and an unclosed string makes
            // it complain once per following line: the first error of a line, and of a run, says it all.
            if (previous is not null && (previous.Span.Start.Line == diagnostic.Span.Start.Line || previous.Message == diagnostic.Message)) continue;
            previous = diagnostic;
            errors.Add(SourcePosition.From(diagnostic.Span.Start, diagnostic.Span.FileName), $"TOML: {Clean(diagnostic.Message)}");
        }
    }

    // Tomlyn draws a new line as '␤'. Standing for a token it is "end of line"; inside quoted source text a space reads better.
    private static string Clean(string message)
    {
        message = message.Replace("`␤`", "end of line", StringComparison.Ordinal);
        if (message.EndsWith(" ␤", StringComparison.Ordinal)) message = message[..^1] + "end of line";
        return message.Replace("␤", " ", StringComparison.Ordinal);
    }
}
