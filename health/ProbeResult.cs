namespace Proxy.Health;

/// <summary>
/// What one active probe got: the status of the response head, or why there was none. Whether it passed is the
/// prober's call (<see cref="ActiveHealthOptions.ExpectStatus"/>), not the engine's. A small immutable value.
/// </summary>
public readonly record struct ProbeResult
{
    private ProbeResult(int statusCode, RequestOutcome failure)
    {
        StatusCode = statusCode;
        Failure = failure;
    }

    /// <summary>The status of the response head; 0 when none arrived.</summary>
    public int StatusCode { get; }

    /// <summary>
    /// Why no response head arrived (<see cref="RequestOutcome.ConnectFailure"/>, <see cref="RequestOutcome.Reset"/>, ...);
    /// <see cref="RequestOutcome.Success"/> when one did. A probe that ran out of its <c>timeout</c> reports
    /// <see cref="RequestOutcome.ResponseHeaderTimeout"/>; one whose implementation threw, <see cref="RequestOutcome.InvalidResponse"/>.
    /// </summary>
    public RequestOutcome Failure { get; }

    /// <summary>Whether a response head arrived.</summary>
    public bool HasResponse => StatusCode != 0;

    /// <summary>A response head with <paramref name="statusCode"/> (100-599) arrived.</summary>
    public static ProbeResult Responded(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, StatusCodeRanges.MinimumCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, StatusCodeRanges.MaximumCode);
        return new(statusCode, RequestOutcome.Success);
    }

    /// <summary>No response head arrived, because of <paramref name="failure"/> (anything but <see cref="RequestOutcome.Success"/> or <see cref="RequestOutcome.Status5xx"/>).</summary>
    public static ProbeResult Failed(RequestOutcome failure)
    {
        if (failure is RequestOutcome.Success or RequestOutcome.Status5xx)
        {
            throw new ArgumentOutOfRangeException(nameof(failure), failure, "A probe that got a response head is Responded(status), not Failed.");
        }

        return new(0, failure);
    }

    /// <summary>"status 503" or the failure's reason ("connect_failure"), for logs.</summary>
    public override string ToString() =>
        HasResponse ? "status " + StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : RequestOutcomes.ReasonFor(Failure);
}
