namespace Proxy.Engine.Config.Schema;

/// <summary>Parses one string of a list (a host, a protocol name); <paramref name="problem"/> completes "`key` entry "text" ...".</summary>
internal delegate bool ItemParser<TItem>(string text, out TItem item, out string problem);
