using System.Net;

namespace Proxy.Engine.Config;

/// <summary>One <c>[[listeners]]</c> entry.</summary>
public sealed record ListenerConfig
{
    /// <summary><c>name</c>: unique, used in logs and metrics.</summary>
    public required string Name { get; init; }
    /// <summary><c>listen</c>: address and port to bind.</summary>
    public required IPEndPoint Listen { get; init; }
    /// <summary><c>protocols</c>: what clients may speak on it.</summary>
    public IReadOnlyList<ListenerProtocol> Protocols { get; init; } = [ListenerProtocol.Http1];
}
