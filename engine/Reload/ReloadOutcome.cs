namespace Proxy.Engine.Reload;

/// <summary>How one reload ended.</summary>
/// <param name="Trigger">What asked for it.</param>
/// <param name="At">When it finished.</param>
/// <param name="Applied">A new configuration is running.</param>
/// <param name="Unchanged">The files were read and equal the running configuration: nothing to do.</param>
/// <param name="Version">The running configuration's version afterwards.</param>
/// <param name="Errors">Why it was refused ("file:line:column: message" for configuration errors); empty on success.</param>
public sealed record ReloadOutcome(ReloadTrigger Trigger, DateTimeOffset At, bool Applied, bool Unchanged, long Version,
    IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
