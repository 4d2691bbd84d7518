using System.Net;

namespace Proxy.Engine.Config;

/// <summary>
/// Stand-ins for required values while a record is being read. A record still holding one had an error
/// reported for that key, so cross-checks skip it instead of reporting a second, confusing error.
/// </summary>
internal static class Placeholders
{
    public static readonly IPEndPoint Endpoint = new(IPAddress.None, 0);

    public static bool IsPlaceholder(IPEndPoint endpoint) => ReferenceEquals(endpoint, Endpoint);
}
