namespace Proxy.Engine.AccessLog;

internal sealed partial class AccessLogger
{
    private readonly Writer _writer;

    /// <summary>
    /// The background side: one dedicated thread (file writes block, so not a thread-pool thread) that drains the queue
    /// into a 64 KiB batch and writes whole batches, then sleeps until a producer wakes it or 100 ms pass.
    /// </summary>
    private sealed class Writer : IDisposable
    {
        private const int BatchSize = 64 * 1024;
        private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);

        private readonly AccessLogger _owner;
        private readonly Func<Stream> _open;
        private readonly ManualResetEventSlim _wake = new(false);
        private readonly byte[] _batch = new byte[BatchSize];
        private readonly Thread _thread;
        private Stream _output;
        private int _sleeping;
        private volatile bool _reopenRequested;
        private volatile bool _stopping;

        public Writer(AccessLogger owner, Func<Stream> open)
        {
            _owner = owner;
            _open = open;
            _output = open();    // a path that cannot be opened fails here, on the caller's thread, with its reason
            _thread = new Thread(Run) { IsBackground = true, Name = "access-log" };
            _thread.Start();
        }

        /// <summary>
        /// Wakes the writer if it sleeps. A busy writer needs no signal, and setting the event costs a system call, so
        /// producers only read a flag. The flag and the queue are not fenced against each other on this side (a fence per
        /// line would cost more than it saves): a line enqueued just as the writer falls asleep waits at most
        /// <see cref="IdleWait"/>.
        /// </summary>
        public void Wake()
        {
            if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0) _wake.Set();
        }

        public void RequestReopen()
        {
            _reopenRequested = true;
            Wake();
        }

        /// <summary>Writes what is queued, stops the thread and closes the output; waits up to 5 s for a stuck output.</summary>
        public void Dispose()
        {
            TimeSpan patience = TimeSpan.FromSeconds(5);
            _stopping = true;
            _wake.Set();
            // A writer stuck in a write (a full disk, a stopped reader of stdout) is left behind rather than waited for.
            if (_thread.Join(patience)) _wake.Dispose();
        }

        private void Run()
        {
            while (true)
            {
                Drain();
                if (_reopenRequested) ReopenOutput();
                if (_stopping)
                {
                    Drain();
                    break;
                }
                _wake.Reset();
                Interlocked.Exchange(ref _sleeping, 1);
                if (_owner._queue.IsEmpty && !_stopping && !_reopenRequested) _wake.Wait(IdleWait);
                Volatile.Write(ref _sleeping, 0);
            }
            _output.Dispose();
        }

        private void Drain()
        {
            int used = 0, lines = 0;
            while (_owner._queue.TryDequeue(out LogLine line))
            {
                ReadOnlySpan<byte> bytes = line.Written;
                if (bytes.Length > _batch.Length - used)
                {
                    Write(_batch.AsSpan(0, used), lines);
                    used = lines = 0;
                }
                if (bytes.Length > _batch.Length)
                {
                    Write(bytes, 1);
                }
                else
                {
                    bytes.CopyTo(_batch.AsSpan(used));
                    used += bytes.Length;
                    lines++;
                }
                _owner.Recycle(line);
            }
            if (used > 0) Write(_batch.AsSpan(0, used), lines);
        }

        private void Write(ReadOnlySpan<byte> bytes, int lines)
        {
            if (bytes.IsEmpty) return;
            // Checked before every write: a line logged after Reopen() returned goes to the reopened file.
            if (_reopenRequested) ReopenOutput();
            try
            {
                _output.Write(bytes);
                _output.Flush();
                _owner.Counters.AddWritten(lines);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException or NotSupportedException)
            {
                _owner.Counters.AddWriteError();
            }
        }

        private void ReopenOutput()
        {
            _reopenRequested = false;
            Stream reopened;
            try
            {
                reopened = _open();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _owner.Counters.AddWriteError();     // keep writing to the old file rather than nowhere
                return;
            }
            _output.Dispose();
            _output = reopened;
        }
    }
}
