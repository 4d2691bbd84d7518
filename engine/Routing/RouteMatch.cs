using System.Diagnostics.CodeAnalysis;

namespace Proxy.Engine.Routing;

/// <summary>What <see cref="RoutingSnapshot.Match(Proxy.Protocols.Http1.RequestHead)"/> found. A small struct; nothing allocated.</summary>
internal readonly struct RouteMatch
{
    private readonly byte[]? _allow;

    private RouteMatch(RouteMatchStatus status, Route? route, byte[]? allow)
    {
        Status = status;
        Route = route;
        _allow = allow;
    }

    public static RouteMatch NotFound => new(RouteMatchStatus.NotFound, null, null);

    public static RouteMatch InvalidPath => new(RouteMatchStatus.InvalidPath, null, null);

    public RouteMatchStatus Status { get; }

    /// <summary>The route, when <see cref="Status"/> is <see cref="RouteMatchStatus.Found"/>.</summary>
    public Route? Route { get; }

    [MemberNotNullWhen(true, nameof(Route))]
    public bool Found => Status == RouteMatchStatus.Found;

    /// <summary>The Allow field value for a 405 ("GET, HEAD, POST"), as bytes to copy; empty otherwise.</summary>
    public ReadOnlySpan<byte> Allow => _allow;

    public static RouteMatch For(Route route) => new(RouteMatchStatus.Found, route, null);

    public static RouteMatch MethodNotAllowed(byte[] allow) => new(RouteMatchStatus.MethodNotAllowed, null, allow);

    public override string ToString() => Found ? $"{Status} {Route.Name}" : Status.ToString();
}
