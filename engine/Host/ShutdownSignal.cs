using System.Runtime.InteropServices;

namespace Proxy.Host;

/// <summary>
/// SIGINT and SIGTERM: the first asks for a graceful stop (stop accepting, drain), a second one during the
/// drain asks to stop at once.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource _graceful = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _immediate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Completes on the first signal.</summary>
    public Task Graceful => _graceful.Task;

    /// <summary>Completes on the second signal.</summary>
    public Task Immediate => _immediate.Task;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;     // we exit ourselves, after draining
        if (!_graceful.TrySetResult()) _immediate.TrySetResult();
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations) registration.Dispose();
    }
}
