namespace Proxy.Engine.Config;

/// <summary>
/// One entry of a route's <c>headers</c> or <c>query</c> table: <c>"x-tenant" = "blue"</c> (exact value),
/// <c>"x-debug" = { present = true }</c> (present, any value; <c>false</c>: absent), or
/// <c>"user-agent" = { regex = "curl/.*" }</c> (a value the expression is found in).
/// </summary>
public sealed record FieldMatchConfig
{
    /// <summary>The header name (matched case-insensitively) or query parameter name (matched exactly, after decoding).</summary>
    public required string Name { get; init; }
    /// <summary>How the value is tested.</summary>
    public FieldMatchKind Kind { get; init; }
    /// <summary>The exact value or the regular expression; empty for <see cref="FieldMatchKind.Present"/> and <see cref="FieldMatchKind.Absent"/>.</summary>
    public string Value { get; init; } = "";
}
