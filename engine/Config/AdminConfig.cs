using System.Net;

namespace Proxy.Engine.Config;

/// <summary><c>[admin]</c>: the admin and metrics listener.</summary>
public sealed record AdminConfig
{
    /// <summary><c>listen</c>: where to listen; null when the admin listener is off (<c>listen = ""</c>).</summary>
    public IPEndPoint? Listen { get; init; } = new(IPAddress.Loopback, 9901);
    /// <summary><c>token</c>: when not empty, /admin/* needs "Authorization: Bearer &lt;token&gt;".</summary>
    public string Token { get; init; } = "";
}
