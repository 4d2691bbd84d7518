using System.Runtime.CompilerServices;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Starts the test process with enough thread-pool threads that no test waits for the pool to grow. On this 2-core
/// machine the pool starts with two workers; the test platform keeps one of them in a poll loop (a 1 s poll per round,
/// for the whole run) and xunit can hold another while a test runs, so a timer's continuation (Task.Delay, the
/// proxy's heartbeat) could wait for the next free thread for up to a second. Measured: ClientLimitTests'
/// idle-timeout test, run alone, failed 11 times in 20 because a 200 ms delay took a whole second.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
    }
}
