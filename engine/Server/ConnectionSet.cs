using System.Collections.Concurrent;
using Proxy.Engine.Connections;

namespace Proxy.Engine.Server;

/// <summary>The live client connections, for draining and counting at shutdown. Changed once per connection.</summary>
internal sealed class ConnectionSet
{
    private readonly ConcurrentDictionary<Http1ClientConnection, byte> _connections = new();

    public int Count => _connections.Count;

    public void Add(Http1ClientConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(Http1ClientConnection connection) => _connections.TryRemove(connection, out _);

    public void BeginDrainingAll()
    {
        foreach (Http1ClientConnection connection in _connections.Keys) connection.BeginDraining();
    }

    public void AbortAll()
    {
        foreach (Http1ClientConnection connection in _connections.Keys) connection.Abort();
    }
}
