using System.Collections.Concurrent;
using Proxy.Engine.Connections;

namespace Proxy.Engine.Server;

/// <summary>The live client connections, for draining and counting at shutdown. Changed once per connection.</summary>
internal sealed class ConnectionSet
{
    private readonly ConcurrentDictionary<IClientConnection, byte> _connections = new();

    public int Count => _connections.Count;

    public void Add(IClientConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(IClientConnection connection) => _connections.TryRemove(connection, out _);

    public void BeginDrainingAll()
    {
        foreach (IClientConnection connection in _connections.Keys) connection.BeginDraining();
    }

    public void AbortAll()
    {
        foreach (IClientConnection connection in _connections.Keys) connection.Abort();
    }
}
