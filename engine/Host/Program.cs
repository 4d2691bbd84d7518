using System.CommandLine;

namespace Proxy.Host;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        RuntimeTuning.Apply();     // first: it must run before any socket exists
        // Signals are ours (graceful drain, see ShutdownSignal), not System.CommandLine's.
        return await Cli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null })
            .ConfigureAwait(false);
    }
}
