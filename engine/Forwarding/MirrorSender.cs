using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Proxy.Balancers;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Engine.Upstreams;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Sends copies of requests to shadow clusters (a route's <c>mirror</c>) and throws their answers away. A copy never
/// touches the main exchange: the forwarder hands over finished bytes and goes on; the copy runs on its own task,
/// with its own deadline, and is dropped (and counted) when <see cref="MaxInFlight"/> copies are already under way
/// rather than queued. One per server; thread-safe. Mirroring is opt-in, so copies may allocate.
/// </summary>
internal sealed class MirrorSender
{
    /// <summary>Copies under way at once, across all routes; past it a copy is dropped.</summary>
    public const int MaxInFlight = 256;

    private readonly ProxyStats _stats;
    private int _inFlight;

    public MirrorSender(ProxyStats stats) => _stats = stats;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Starts sending <paramref name="request"/> (a whole HTTP/1.1 request, head and body) to <paramref name="cluster"/>.</summary>
    /// <param name="headRequest">Whether it is a HEAD request, whose response has no body whatever its head says.</param>
    public void Send(Cluster cluster, byte[] request, bool headRequest)
    {
        if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            _stats.Mirrored(MirrorResult.Dropped);
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                _stats.Mirrored(await ExchangeAsync(cluster, request, headRequest).ConfigureAwait(false));
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
    }

    private static async Task<MirrorResult> ExchangeAsync(Cluster cluster, byte[] request, bool headRequest)
    {
        AvailableDestinations available = cluster.Runtime.Available;
        if (available.Count == 0) return MirrorResult.Failed;
        int index = cluster.Runtime.Balancer.Pick(available.States, new PickContext(default, Stopwatch.GetTimestamp()));
        if (index < 0) return MirrorResult.Failed;
        Destination destination = available.Destinations[index];

        var (status, upstream) = await destination.Pool.AcquireAsync().ConfigureAwait(false);
        if (status != AcquireStatus.Acquired || upstream is null) return MirrorResult.Failed;
        bool reusable = false;
        // The whole exchange, answer included, within the cluster's response_header timeout: a slow shadow is cut.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(1, cluster.ResponseHeaderTimeoutMs)));
        using CancellationTokenRegistration cut = deadline.Token.Register(upstream.Close);
        try
        {
            await upstream.Output.WriteAsync(request).ConfigureAwait(false);
            reusable = await DiscardResponseAsync(upstream.Input, headRequest).ConfigureAwait(false);
            return reusable ? MirrorResult.Sent : MirrorResult.Failed;
        }
        catch (Exception ex) when (BodyCopier.IsIoFailure(ex) || ex is HttpRejectException or InvalidOperationException)
        {
            return MirrorResult.Failed;
        }
        finally
        {
            destination.Pool.Release(upstream, reusable && !deadline.IsCancellationRequested);
        }
    }

    /// <summary>
    /// Reads the response head and skips its body; true when the connection can carry another request (a
    /// Content-Length or bodiless response, read to its end). Other framings are not worth decoding for bytes
    /// nobody reads: the connection is closed instead.
    /// </summary>
    private static async Task<bool> DiscardResponseAsync(PipeReader input, bool headRequest)
    {
        var response = new ResponseHead(HeadLimits.Default);
        while (true)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (ResponseHeadParser.TryParse(buffer, response, headRequest ? KnownMethod.Head : KnownMethod.Get, out SequencePosition consumed))
            {
                input.AdvanceTo(consumed);
                if (response.IsInterim) continue;
                break;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted) return false;
        }
        if (!response.KeepAlive) return false;
        if (response.Framing == BodyFraming.None) return true;
        if (response.Framing != BodyFraming.ContentLength) return false;

        long remaining = response.ContentLength;
        while (remaining > 0)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            long take = Math.Min(remaining, read.Buffer.Length);
            input.AdvanceTo(read.Buffer.GetPosition(take));
            remaining -= take;
            if (read.IsCompleted && remaining > 0) return false;
        }
        return true;
    }
}
