namespace Proxy.Engine.Reload;

/// <summary>What asked for a reload (logged, shown in /admin/config).</summary>
public enum ReloadTrigger
{
    /// <summary>A configuration file changed on disk.</summary>
    FileChange,
    /// <summary>SIGHUP.</summary>
    Signal,
    /// <summary>POST /admin/reload.</summary>
    Admin,
}
