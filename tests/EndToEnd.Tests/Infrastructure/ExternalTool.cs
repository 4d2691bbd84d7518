using System.Diagnostics;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A command-line client (nghttp, h2load, python3-h2 scripts) run to completion with a deadline: past it the process
/// is killed by its PID and the result says so. scripts/install-tools.sh installs what the tests run.
/// </summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, bool TimedOut)
    {
        public override string ToString() => $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static async Task<Result> RunAsync(string fileName, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return new Result(process.ExitCode, await stdout, await stderr, timedOut);
    }

    /// <summary>Debian's python3, which sees python3-h2 (another python3 earlier on PATH may not).</summary>
    public static Task<Result> PythonAsync(string script, TimeSpan timeout, params string[] arguments) =>
        RunAsync("/usr/bin/python3", timeout, [Path.Combine(AppContext.BaseDirectory, script), .. arguments]);
}
