namespace Proxy.Engine.Config.Toml;

internal enum TomlScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    DateTime,
}
