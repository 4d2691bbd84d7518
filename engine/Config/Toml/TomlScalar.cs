namespace Proxy.Engine.Config.Toml;

/// <summary>A string, integer, float, boolean or date-time value.</summary>
internal sealed class TomlScalar(SourcePosition position, TomlScalarKind kind, object value) : TomlValue(position)
{
    public TomlScalarKind Kind { get; } = kind;

    /// <summary>string, long, double, bool, or the date-time's text.</summary>
    public object Value { get; } = value;

    public override string Description => Kind switch
    {
        TomlScalarKind.String => "a string",
        TomlScalarKind.Integer => "an integer",
        TomlScalarKind.Float => "a float",
        TomlScalarKind.Boolean => "a boolean",
        _ => "a date-time",
    };
}
