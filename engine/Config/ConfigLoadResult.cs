namespace Proxy.Engine.Config;

/// <summary>The outcome of loading a configuration: the config, or every error found (never both).</summary>
public sealed record ConfigLoadResult(ProxyConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>True when <see cref="Config"/> is usable.</summary>
    public bool Succeeded => Config is not null && Errors.Count == 0;
}
