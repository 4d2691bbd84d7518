using System.Net;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.Config;
using Proxy.Engine.Upstreams;

namespace Proxy.Engine.Tests.Upstreams;

public sealed class IdleConnectionSlotsTests : IDisposable
{
    private readonly UpstreamPool _pool = new(new IPEndPoint(IPAddress.Loopback, 9), new PoolConfig(), SocketTransport.Sockets);
    private readonly List<UpstreamConnection> _made = [];

    [Fact]
    public void TryAdd_BeyondCapacity_Refuses()
    {
        var slots = new IdleConnectionSlots(2);

        Assert.True(slots.TryAdd(Make()));
        Assert.True(slots.TryAdd(Make()));
        Assert.False(slots.TryAdd(Make()));
    }

    [Fact]
    public void TryTake_PrefersLowSlots_SoHotConnectionsStayHot()
    {
        var slots = new IdleConnectionSlots(4);
        UpstreamConnection a = Make(), b = Make();
        slots.TryAdd(a);
        slots.TryAdd(b);

        UpstreamConnection? taken = slots.TryTake();
        slots.TryAdd(taken!);

        Assert.Same(a, taken);
        Assert.Same(a, slots.TryTake());
    }

    [Fact]
    public void RemoveIdleSince_TakesOnlyTheOldOnes()
    {
        var slots = new IdleConnectionSlots(4);
        UpstreamConnection old = Make(), fresh = Make();
        old.IdleSinceMs = 100;
        fresh.IdleSinceMs = 5000;
        slots.TryAdd(old);
        slots.TryAdd(fresh);

        var expired = new List<UpstreamConnection>();
        slots.RemoveIdleSince(1000, expired);

        Assert.Equal([old], expired);
        Assert.Same(fresh, slots.TryTake());
        Assert.Null(slots.TryTake());
    }

    [Fact]
    public void ConcurrentTakeAndAdd_NeverLosesOrDuplicatesAConnection()
    {
        var slots = new IdleConnectionSlots(8);
        UpstreamConnection[] connections = Enumerable.Range(0, 8).Select(_ => Make()).ToArray();
        foreach (UpstreamConnection c in connections) Assert.True(slots.TryAdd(c));

        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                UpstreamConnection? c = slots.TryTake();
                if (c is not null) Assert.True(slots.TryAdd(c));
            }
        });

        var left = new HashSet<UpstreamConnection>();
        while (slots.TryTake() is { } c) Assert.True(left.Add(c));
        Assert.Equal(connections.ToHashSet(), left);
    }

    private UpstreamConnection Make()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        SocketConnection transport = SocketConnection.Create(socket);
        var connection = new UpstreamConnection(transport, transport, _pool);
        _made.Add(connection);
        return connection;
    }

    public void Dispose()
    {
        foreach (UpstreamConnection c in _made) c.Close();
        _pool.Dispose();
    }
}
