using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Engine.Timeouts;
using Proxy.Health;

namespace Proxy.Engine.Tests.Routing;

/// <summary>Drains in <see cref="ClusterRuntime"/>: what the available set holds, and what reloads keep.</summary>
public sealed class ClusterRuntimeDrainTests : IDisposable
{
    private const string A = "127.0.0.1:9001", B = "127.0.0.1:9002", C = "127.0.0.1:9003";
    private readonly Heartbeat _heartbeat = new(TimeSpan.FromHours(1));
    private readonly SnapshotCompiler _compiler;

    public ClusterRuntimeDrainTests() => _compiler = new SnapshotCompiler(_heartbeat);

    [Fact]
    public void SetDrained_LeavesTheDestinationOut_AndUndrainPutsItBack()
    {
        ClusterRuntime runtime = Compile(A, B).Runtime;

        Assert.True(runtime.SetDrained(A, true));
        Assert.Equal([B], Available(runtime));
        Assert.True(runtime.IsDrained(A));
        Assert.False(runtime.SetDrained(A, true));

        Assert.True(runtime.SetDrained(A, false));
        Assert.Equal([A, B], Available(runtime));
        Assert.False(runtime.SetDrained(A, false));
    }

    [Fact]
    public void SetDrained_EveryDestination_NothingIsAvailable_AndItIsNotPanic()
    {
        ClusterRuntime runtime = Compile(A, B).Runtime;

        runtime.SetDrained(A, true);
        runtime.SetDrained(B, true);

        Assert.Empty(Available(runtime));
        Assert.False(runtime.Available.IsPanic);
    }

    [Fact]
    public void SetDrained_OnlyUsableOneDrained_PanicsAmongTheRest()
    {
        ClusterRuntime runtime = Compile(A, B, C).Runtime;
        OpenBreaker(runtime, B);
        OpenBreaker(runtime, C);
        Assert.Equal([A], Available(runtime));

        runtime.SetDrained(A, true);

        Assert.Equal([B, C], Available(runtime));
        Assert.True(runtime.Available.IsPanic);
        Assert.False(runtime.Health.IsPanicking);     // health still sees A usable
    }

    [Fact]
    public void Reload_KeepingTheRuntime_KeepsTheDrain()
    {
        ClusterRuntime runtime = Compile(A, B).Runtime;
        runtime.SetDrained(A, true);

        Cluster reloaded = Compile(new ClusterConfig { Name = "c", Destinations = [Destination(A), Destination(B), Destination(C)] });

        Assert.Same(runtime, reloaded.Runtime);
        Assert.Equal([B, C], Available(reloaded.Runtime));
    }

    [Fact]
    public void Reload_ReplacingTheRuntime_CarriesTheDrainOver()
    {
        ClusterRuntime runtime = Compile(A, B).Runtime;
        runtime.SetDrained(A, true);

        Cluster reloaded = Compile(new ClusterConfig { Name = "c", Balancer = BalancerKind.LeastConn, Destinations = [Destination(A), Destination(B)] });

        Assert.NotSame(runtime, reloaded.Runtime);
        Assert.True(reloaded.Runtime.IsDrained(A));
        Assert.Equal([B], Available(reloaded.Runtime));
    }

    [Fact]
    public void Reload_RemovingTheDestination_ForgetsItsDrain()
    {
        ClusterRuntime runtime = Compile(A, B).Runtime;
        runtime.SetDrained(A, true);

        Compile(B);
        Cluster back = Compile(A, B);

        Assert.False(back.Runtime.IsDrained(A));
    }

    private Cluster Compile(params string[] addresses) =>
        Compile(new ClusterConfig { Name = "c", Destinations = [.. addresses.Select(Destination)] });

    private Cluster Compile(ClusterConfig cluster) => _compiler.Compile(new ProxyConfig
    {
        Routes = [new RouteConfig { Name = "r", Cluster = "c" }],
        Clusters = [cluster with
        {
            Health = new ClusterHealthOptions
            {
                CircuitBreaker = new CircuitBreakerOptions { MinimumRequests = 1, FailureRatio = 0.5, OpenFor = TimeSpan.FromHours(1) },
            },
        }],
    }).Clusters["c"];

    private static void OpenBreaker(ClusterRuntime runtime, string address)
    {
        DestinationHealth health = runtime.Health.Find(address)!;
        Assert.True(health.TryAcquire(out CircuitPermit permit));
        health.Report(permit, RequestOutcome.ConnectFailure);
        Assert.Equal(CircuitState.Open, health.CircuitState);
    }

    private static string[] Available(ClusterRuntime runtime) => [.. runtime.Available.Destinations.Select(d => d.Address)];

    private static DestinationConfig Destination(string address) =>
        new() { Address = address, Host = "127.0.0.1", Port = int.Parse(address[10..], System.Globalization.CultureInfo.InvariantCulture) };

    public void Dispose()
    {
        _compiler.RetireAll();
        _heartbeat.Dispose();
    }
}
