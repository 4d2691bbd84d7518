namespace Proxy.Engine.Routing;

/// <summary>The outcome of matching one request against a <see cref="RoutingSnapshot"/>; the caller maps it to a status code.</summary>
internal enum RouteMatchStatus
{
    /// <summary>A route takes the request.</summary>
    Found,
    /// <summary>No route takes it: 404.</summary>
    NotFound,
    /// <summary>Routes would take it with another method: 405, with <see cref="RouteMatch.Allow"/> as the Allow field.</summary>
    MethodNotAllowed,
    /// <summary>The path escapes the root or has a bad percent escape (see <see cref="PathNormalizer"/>): 400.</summary>
    InvalidPath,
}
