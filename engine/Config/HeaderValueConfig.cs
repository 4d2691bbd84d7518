namespace Proxy.Engine.Config;

/// <summary>One entry of <c>set_headers</c> or <c>response_set_headers</c>: a header field name, as written, and its value.</summary>
public sealed record HeaderValueConfig(string Name, string Value);
