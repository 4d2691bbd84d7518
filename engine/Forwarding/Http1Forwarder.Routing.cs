using System.Buffers;
using System.Runtime.CompilerServices;
using Proxy.Balancers;
using Proxy.Engine.Async;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

internal sealed partial class Http1Forwarder
{
    // The route taking the request in progress: its actions shape the upstream head and the client's response head.
    private RouteActions _actions = RouteActions.None;

    /// <summary>
    /// The answer when no route takes the request: 404, 405 with the methods the matching routes take, or 400 for a
    /// path that cannot be normalised (it escapes the root or has a bad escape).
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ExchangeOutcome> AnswerUnroutedAsync(RequestHead request, RouteMatch match)
    {
        bool close = ClientBodyPending(request);
        switch (match.Status)
        {
            case RouteMatchStatus.MethodNotAllowed:
                RecordError = RequestError.MethodNotAllowed;
                WriteMethodNotAllowed(match.Allow, close);
                return new ExchangeOutcome(405, await _client.FlushAsync().ConfigureAwait(false) && !close);
            case RouteMatchStatus.InvalidPath:
                RecordError = RequestError.BadRequest;
                return await _client.AnswerAsync(400, close: true).ConfigureAwait(false);
            default:
                RecordError = RequestError.NoRoute;
                return await _client.AnswerAsync(404, close).ConfigureAwait(false);
        }
    }

    private void WriteMethodNotAllowed(ReadOnlySpan<byte> allow, bool close)
    {
        var writer = new HeadWriter(_client.Output);
        writer.Write("HTTP/1.1 405 Method Not Allowed\r\n"u8);
        writer.WriteField("Allow"u8, allow);
        writer.Write("Content-Type: text/plain; charset=utf-8\r\nContent-Length: 23\r\n"u8);
        if (close) writer.Write("Connection: close\r\n"u8);
        writer.Write("\r\n405 Method Not Allowed\n"u8);
        writer.Commit();
    }

    /// <summary>A route that answers by itself (redirect or direct response): nothing is forwarded.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ExchangeOutcome> AnswerFromRouteAsync(RequestHead request, RouteActions actions)
    {
        bool close = ClientBodyPending(request) || !request.KeepAlive || _client.IsDraining;
        int status;
        if (actions.Redirect is { } redirect)
        {
            status = redirect.Status;
            WriteRedirect(request, redirect, close);
        }
        else
        {
            DirectResponse direct = actions.DirectResponse!;
            status = direct.Status;
            _client.Output.Write(direct.For(request.Method == KnownMethod.Head, close));
        }
        bool flushed = await _client.FlushAsync().ConfigureAwait(false);
        return flushed ? new ExchangeOutcome(status, !close) : ClientGone();
    }

    private void WriteRedirect(RequestHead request, Redirect redirect, bool close)
    {
        ReadOnlySpan<byte> scheme = _client.Forwarding.Scheme;
        ReadOnlySpan<byte> query = request.Query;           // with its '?', as {query} expands
        int length = redirect.ResponseLength(scheme, request.Host, request.Path, query);
        Span<byte> destination = _client.Output.GetSpan(length);
        _client.Output.Advance(redirect.WriteResponse(scheme, request.Host, request.Path, query, close, destination));
    }

    /// <summary>The cluster for a forwarding route: its own, or the one its split chooses for this request.</summary>
    private Cluster ClusterFor(RequestHead request, Route route) =>
        route.ClusterOrNull ?? route.Actions.Split!.Choose(request, _client.Forwarding.ClientAddress, SharedRandomSource.Instance);
}
