using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config.Schema;

/// <summary>
/// One key a table may hold: how to read its value into the record being built, whether it must be present,
/// or that it is part of the config's contract but not implemented by this version.
/// </summary>
/// <param name="Read">Returns the record with the value applied, or the record unchanged after reporting an error; null for a key that is not supported yet.</param>
internal sealed record KeyRule<T>(string Name, Func<T, TomlValue, ReadContext, T>? Read, bool Required);
