namespace Proxy.Host;

/// <summary>
/// Runtime settings that decide the proxy's cost per request (measured in PLATFORM.md), applied from inside
/// the process so that a plain `proxy run` gets them without a wrapper script.
/// </summary>
internal static class RuntimeTuning
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run on the epoll thread instead of hopping to a thread-pool worker: ~23 µs instead of
    /// ~36 µs per proxied request here. The runtime reads the variable when the first socket is created, and
    /// on Unix <see cref="Environment.SetEnvironmentVariable(string, string)"/> updates the copy it reads, so
    /// setting it first thing in Main is enough. An operator's explicit value (e.g. "0") is respected.
    /// Safe because nothing on the request path blocks a thread.
    /// </summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
