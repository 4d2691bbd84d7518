namespace Proxy.Engine.Config;

/// <summary>A request key as written: <c>"header:x-user"</c>, <c>"cookie:session"</c>, <c>"query:user"</c>, <c>"client_ip"</c> or <c>"path"</c>.</summary>
/// <param name="Source">Where the key is read from.</param>
/// <param name="Name">The header, cookie or query parameter name; empty for <see cref="RequestKeySource.ClientIp"/> and <see cref="RequestKeySource.Path"/>.</param>
public sealed record RequestKeyConfig(RequestKeySource Source, string Name);
