using System.Buffers;
using System.IO.Pipelines;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

internal sealed partial class Http1Forwarder
{
    /// <summary>
    /// Whether the request can be copied whole: no body, or a Content-Length body within the mirror's max_body (read
    /// before the first attempt, as for a replay). A chunked body streams to the main upstream and is not copied.
    /// </summary>
    private static bool MirrorCanCopy(RequestHead request, Mirror mirror) => request.Framing switch
    {
        BodyFraming.None => true,
        BodyFraming.ContentLength => mirror.BodyFits(request.ContentLength),
        _ => false,
    };

    /// <summary>
    /// Renders the copy as the mirror cluster will receive it (the same upstream head, the same body) and hands it to
    /// the sender, which goes on without us. Copies allocate; mirroring is opt-in.
    /// </summary>
    private void SendMirror(RequestHead request, Mirror mirror)
    {
        var copy = new MemoryStream();
        PipeWriter writer = PipeWriter.Create(copy, new StreamPipeWriterOptions(leaveOpen: true));
        UpstreamRequestHead.Write(writer, request, _client.Forwarding, _trace, _actions);
        if (_replay is not null) writer.Write(_replay.AsSpan(0, _replayLength));
        // A StreamPipeWriter over a MemoryStream completes its flush at once.
        writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        writer.Complete();
        _server.Mirrors.Send(mirror.Cluster, copy.ToArray(), request.Method == KnownMethod.Head);
    }
}
