namespace Proxy.Health.Tests.Fakes;

/// <summary>
/// An <see cref="IHealthProbe"/> whose answers the test sets per destination: a fixed result (returned synchronously),
/// or "hang" (a probe that completes only when the test says, or is cancelled). Records every call.
/// </summary>
internal sealed class ScriptedHealthProbe : IHealthProbe
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, ProbeResult?> _answers = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Path, TaskCompletionSource<ProbeResult> Pending, CancellationToken Token)> _hanging = [];
    private readonly List<string> _calls = [];

    public ProbeResult DefaultAnswer { get; set; } = ProbeResult.Responded(200);

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_sync) return [.. _calls];
        }
    }

    public int CallsTo(string key) => Calls.Count(c => c == key);

    public void Answer(string key, ProbeResult result)
    {
        lock (_sync) _answers[key] = result;
    }

    /// <summary>From now on, probes of <paramref name="key"/> hang until <see cref="CompleteHanging"/>.</summary>
    public void Hang(string key)
    {
        lock (_sync) _answers[key] = null;
    }

    public CancellationToken LastHangingToken(string key)
    {
        lock (_sync) return _hanging.Last(h => h.Key == key).Token;
    }

    public void CompleteHanging(string key, ProbeResult result)
    {
        TaskCompletionSource<ProbeResult>[] pending;
        lock (_sync)
        {
            pending = [.. _hanging.Where(h => h.Key == key).Select(h => h.Pending)];
            _hanging.RemoveAll(h => h.Key == key);
        }

        foreach (var p in pending) p.TrySetResult(result);
    }

    public ValueTask<ProbeResult> ProbeAsync(string destinationKey, string path, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _calls.Add(destinationKey);
            if (!_answers.TryGetValue(destinationKey, out ProbeResult? answer)) answer = DefaultAnswer;
            if (answer is { } fixedAnswer) return ValueTask.FromResult(fixedAnswer);

            // Continuations run inline when the test completes it, so the prober settles on the test's thread.
            var pending = new TaskCompletionSource<ProbeResult>();
            _hanging.Add((destinationKey, path, pending, cancellationToken));
            return new ValueTask<ProbeResult>(pending.Task);
        }
    }
}
