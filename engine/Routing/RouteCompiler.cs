using System.Text;
using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// Compiles validated <see cref="RouteConfig"/>s into <see cref="Route"/>s and their matcher: conditions into the
/// forms the matcher reads, actions into immutable objects, cluster names into the snapshot's clusters.
/// </summary>
internal static class RouteCompiler
{
    public static (Route[] Routes, RouteMatcher Matcher) Compile(IReadOnlyList<RouteConfig> configs, IReadOnlyDictionary<string, Cluster> clusters)
    {
        var methods = new MethodTable(configs);
        var routes = new Route[configs.Count];
        for (int i = 0; i < routes.Length; i++)
        {
            RouteConfig config = configs[i];
            Cluster? cluster = config.Cluster is null ? null : clusters[config.Cluster];
            routes[i] = new Route(config, i, cluster, CompileActions(config, clusters), methods.MaskOf(config.Methods));
        }
        return (routes, new RouteMatcher(routes, methods));
    }

    private static RouteActions CompileActions(RouteConfig config, IReadOnlyDictionary<string, Cluster> clusters)
    {
        if (IsPlainForward(config)) return RouteActions.None;
        HeaderEdits responseHeaders = config.ResponseSetHeaders.Count + config.ResponseRemoveHeaders.Count == 0
            ? HeaderEdits.None
            : new HeaderEdits(config.ResponseSetHeaders, config.ResponseRemoveHeaders);
        return new RouteActions
        {
            PathRewrite = config.StripPrefix is null && config.AddPrefix is null ? null : new PathRewrite(config.StripPrefix, config.AddPrefix),
            UpstreamHost = config.UpstreamHost is null ? default : Encoding.ASCII.GetBytes(config.UpstreamHost),
            RequestHeaders = config.SetHeaders.Count + config.RemoveHeaders.Count == 0 ? HeaderEdits.None : new HeaderEdits(config.SetHeaders, config.RemoveHeaders),
            ResponseHeaders = responseHeaders,
            Redirect = config.Redirect is null ? null : new Redirect(config.Redirect, responseHeaders),
            DirectResponse = config.Respond is null ? null : new DirectResponse(config.Respond, responseHeaders),
            Split = config.Split.Count == 0 ? null : new TrafficSplit(
                [.. config.Split.Select(target => clusters[target.Cluster])],
                [.. config.Split.Select(target => target.Weight)],
                config.SplitKey is null ? null : new RequestKey(config.SplitKey)),
            Mirror = config.Mirror is null ? null : new Mirror(clusters[config.Mirror.Cluster], config.Mirror.Percent, config.Mirror.MaxBody),
        };
    }

    // Most routes of a large table only forward: they share one empty set of actions.
    private static bool IsPlainForward(RouteConfig config) =>
        config is { StripPrefix: null, AddPrefix: null, UpstreamHost: null, Redirect: null, Respond: null, Mirror: null }
        && config.Split.Count + config.SetHeaders.Count + config.RemoveHeaders.Count + config.ResponseSetHeaders.Count + config.ResponseRemoveHeaders.Count == 0;
}
