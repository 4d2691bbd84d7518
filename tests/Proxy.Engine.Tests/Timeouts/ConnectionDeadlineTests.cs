using System.IO.Pipelines;
using Proxy.Engine.Timeouts;

namespace Proxy.Engine.Tests.Timeouts;

public sealed class ConnectionDeadlineTests
{
    [Fact]
    public void TryFire_BeforeDue_DoesNothing()
    {
        var deadline = new ConnectionDeadline();
        deadline.Arm(DeadlineKind.ClientHead, 10_000, null);

        Assert.False(deadline.TryFire(Environment.TickCount64, out _, out _));
        Assert.False(deadline.HasFired(DeadlineKind.ClientHead));
    }

    [Fact]
    public void TryFire_AfterDue_FiresOnceWithKindAndReader()
    {
        var pipe = new Pipe();
        var deadline = new ConnectionDeadline();
        deadline.Arm(DeadlineKind.ResponseHead, 1, pipe.Reader);
        long later = Environment.TickCount64 + 1000;

        Assert.True(deadline.TryFire(later, out DeadlineKind kind, out PipeReader? reader));
        Assert.Equal(DeadlineKind.ResponseHead, kind);
        Assert.Same(pipe.Reader, reader);
        Assert.True(deadline.HasFired(DeadlineKind.ResponseHead));
        Assert.False(deadline.HasFired(DeadlineKind.ClientIdle));
        Assert.False(deadline.TryFire(later, out _, out _));
    }

    [Fact]
    public void Disarm_PreventsFiring_AndRearmClearsFired()
    {
        var deadline = new ConnectionDeadline();
        deadline.Arm(DeadlineKind.ClientIdle, 1, null);
        deadline.Disarm();
        Assert.False(deadline.TryFire(Environment.TickCount64 + 1000, out _, out _));

        deadline.Arm(DeadlineKind.ClientIdle, 1, null);
        Assert.True(deadline.TryFire(Environment.TickCount64 + 1000, out _, out _));
        deadline.Arm(DeadlineKind.ClientIdle, 10_000, null);
        Assert.False(deadline.HasFired(DeadlineKind.ClientIdle));
    }
}
