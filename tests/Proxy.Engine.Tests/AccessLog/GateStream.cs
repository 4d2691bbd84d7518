namespace Proxy.Engine.Tests.AccessLog;

/// <summary>
/// An output whose writes wait while the gate is closed, standing in for a slow disk or a stalled reader of stdout;
/// what it receives is kept. Thread-safe.
/// </summary>
internal sealed class GateStream : Stream
{
    private readonly ManualResetEventSlim _open;
    private readonly ManualResetEventSlim _writeEntered = new(false);
    private readonly MemoryStream _received = new();

    public GateStream(bool open = true) => _open = new ManualResetEventSlim(open);

    public void Open() => _open.Set();

    /// <summary>Waits until the writer is inside a write (blocked, when the gate is closed).</summary>
    public bool WaitForWrite(TimeSpan timeout) => _writeEntered.Wait(timeout);

    public byte[] Received
    {
        get { lock (_received) return _received.ToArray(); }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _writeEntered.Set();
        _open.Wait();
        lock (_received) _received.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // The logger disposes its output when it stops; tests read what was received afterwards, so keep it.
        base.Dispose(disposing);
    }
}
