namespace Proxy.Engine.Connections;

/// <summary>A client connection of either protocol, as shutdown and reloads see it.</summary>
internal interface IClientConnection
{
    /// <summary>Finish what is in flight, take nothing new, then close.</summary>
    void BeginDraining();

    /// <summary>Cut the connection and whatever it has in flight upstream, at once.</summary>
    void Abort();
}
