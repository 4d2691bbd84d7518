namespace Proxy.Engine.Reload;

/// <summary>The running configuration and the last reload attempt: what GET /admin/config shows.</summary>
/// <param name="Version">Increases with every applied configuration.</param>
/// <param name="Hash">SHA-256 of the running configuration's files.</param>
/// <param name="LoadedAt">When the running configuration was applied.</param>
/// <param name="SourcePath">The main file (or a name such as "(embedded default)").</param>
/// <param name="Files">Every file of the running configuration.</param>
/// <param name="Reloadable">Whether the configuration came from a file that reloads re-read.</param>
/// <param name="LastReload">The last reload attempt, applied or refused; null before the first.</param>
/// <param name="Succeeded">Reloads that applied a configuration (or found it unchanged).</param>
/// <param name="Failed">Reloads refused (invalid files, a listener that could not open).</param>
public sealed record ConfigStatus(long Version, string Hash, DateTimeOffset LoadedAt, string SourcePath,
    IReadOnlyList<string> Files, bool Reloadable, ReloadOutcome? LastReload, long Succeeded, long Failed);
