using System.Runtime.InteropServices;
using Proxy.Engine.Reload;
using Proxy.Engine.Server;

namespace Proxy.Host;

/// <summary>SIGHUP: reload the configuration, as nginx and HAProxy operators expect.</summary>
internal sealed class ReloadSignal : IDisposable
{
    private readonly PosixSignalRegistration _registration;

    public ReloadSignal(ProxyServer server)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;     // the default for SIGHUP would end the process
            _ = server.ReloadAsync(ReloadTrigger.Signal);
        });
    }

    public void Dispose() => _registration.Dispose();
}
