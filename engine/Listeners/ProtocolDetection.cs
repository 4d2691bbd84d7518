using System.Buffers;
using System.IO.Pipelines;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Listeners;

/// <summary>
/// On a listener that speaks both "http1" and "h2c", tells them apart by the first bytes: the HTTP/2 client preface
/// ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RFC 9113 §3.4) can never start an HTTP/1.1 request. Usually decided on the first
/// byte (no method starts "PRI * "); the bytes stay in the pipe for the connection that serves them.
/// </summary>
internal static class ProtocolDetection
{
    /// <summary>What the client speaks; null when it closed or said nothing within <paramref name="timeoutMs"/>.</summary>
    public static async Task<bool?> IsHttp2Async(PipeReader input, long timeoutMs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(1, timeoutMs)));
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception ex) when (Forwarding.BodyCopier.IsIoFailure(ex))
            {
                return null;
            }
            ReadOnlySequence<byte> buffer = read.Buffer;
            bool? verdict = Judge(buffer);
            if (verdict is not null)
            {
                input.AdvanceTo(buffer.Start);     // nothing consumed or examined: the next read sees the same bytes at once
                return verdict;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted || read.IsCanceled) return null;
        }
    }

    /// <summary>True when <paramref name="buffer"/> starts with the whole preface, false as soon as it cannot, null while undecided.</summary>
    internal static bool? Judge(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> first = stackalloc byte[ConnectionPreface.Length];
        int length = (int)Math.Min(buffer.Length, ConnectionPreface.Length);
        buffer.Slice(0, length).CopyTo(first);
        if (!first[..length].SequenceEqual(ConnectionPreface.Bytes[..length])) return false;
        return length == ConnectionPreface.Length ? true : null;
    }
}
