namespace Proxy.Engine.Config.Toml;

/// <summary>One key of a table and its value; <see cref="KeyPosition"/> is where the key (or its last dotted part) is written.</summary>
internal sealed record TomlEntry(string Key, SourcePosition KeyPosition, TomlValue Value);
