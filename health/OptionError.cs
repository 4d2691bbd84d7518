namespace Proxy.Health;

/// <summary>
/// One thing wrong with a health, breaker or retry option, as a plain sentence. The config loader finds the line of
/// <see cref="Key"/> in the operator's file and reports "file:line:column: message".
/// </summary>
/// <param name="Key">The TOML key as the operator wrote it, relative to its section: <c>healthy_threshold</c>.</param>
/// <param name="Message">What is wrong and, where it helps, what would be right.</param>
public readonly record struct OptionError(string Key, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Key}: {Message}";
}
