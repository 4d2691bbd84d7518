using Proxy.Engine.Routing;
using Proxy.Engine.Tracing;

namespace Proxy.Engine.Forwarding;

/// <summary>What the proxy adds to a client's response head besides forwarding fields.</summary>
/// <param name="Trace">The request's id (written, replacing the upstream's); null when request ids are off.</param>
/// <param name="StickyCookieName">A sticky-session cookie to set (empty: none).</param>
/// <param name="StickyCookieValue">Its value: the chosen destination's opaque sticky id.</param>
/// <param name="Edits">The route's response_set_headers / response_remove_headers.</param>
internal readonly ref struct ResponseExtras(RequestTrace? Trace, ReadOnlySpan<byte> StickyCookieName, ReadOnlySpan<byte> StickyCookieValue,
    HeaderEdits Edits)
{
    public HeaderEdits Edits { get; } = Edits;
    public RequestTrace? Trace { get; } = Trace;
    public ReadOnlySpan<byte> StickyCookieName { get; } = StickyCookieName;
    public ReadOnlySpan<byte> StickyCookieValue { get; } = StickyCookieValue;
}
