namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>Polling for something that happens on another task (a probe, a mirrored copy), bounded in time.</summary>
public static class Wait
{
    /// <summary>Returns once <paramref name="condition"/> holds, checking every 10 ms; throws after 15 s.</summary>
    public static async Task Until(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !condition(); await Task.Delay(10))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 15 s");
        }
    }
}
