namespace Proxy.Engine.Config;

/// <summary>One thing wrong with a configuration file, where it is, in a plain sentence.</summary>
/// <param name="File">The file's path as given.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong and, where it helps, what would be right.</param>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    /// <summary>"file:line:column: message", the form compilers use, so editors can jump to it.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
