using Microsoft.Extensions.ObjectPool;
using Proxy.Engine.Config;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Server;

/// <summary>
/// <c>[limits]</c> in the form the request path uses (milliseconds, parser limits), together with the pool of
/// request heads sized for them. Immutable; a reload with new limits publishes a new instance, and a request
/// returns its head to the instance it rented it from.
/// </summary>
internal sealed class ClientLimits
{
    public ClientLimits(LimitsConfig config)
    {
        Config = config;
        Head = new HeadLimits(config.MaxRequestHead, config.MaxHeaders, config.MaxRequestHead);
        Chunked = new ChunkedLimits(MaxChunkLineBytes: 4096, MaxTrailerBytes: config.MaxRequestHead);
        HeaderTimeoutMs = (long)config.ClientHeaderTimeout.TotalMilliseconds;
        IdleTimeoutMs = (long)config.ClientIdleTimeout.TotalMilliseconds;
        HeadLimits head = Head;
        RequestHeads = new DefaultObjectPool<RequestHead>(new MessageHeadPolicy<RequestHead>(() => new RequestHead(head)), 1024);
    }

    public LimitsConfig Config { get; }
    public HeadLimits Head { get; }
    public ChunkedLimits Chunked { get; }
    public long MaxRequestBody => Config.MaxRequestBody;
    public long HeaderTimeoutMs { get; }
    public long IdleTimeoutMs { get; }

    /// <summary>Heads are rented when a request's first byte arrives, so idle connections hold none.</summary>
    public ObjectPool<RequestHead> RequestHeads { get; }
}

/// <summary>Creates heads and resets them on return.</summary>
internal sealed class MessageHeadPolicy<T>(Func<T> create) : IPooledObjectPolicy<T> where T : MessageHead
{
    public T Create() => create();

    public bool Return(T obj)
    {
        obj.Reset();
        return true;
    }
}
