using Proxy.Engine.Config;

namespace Proxy.Engine.Tests.Config;

/// <summary>Small building blocks for config tests: a listener every valid file needs, and loading with a fake environment.</summary>
internal static class ConfigTestText
{
    public const string SourceName = "test.toml";

    /// <summary>The least a file needs to load; tests put what they check above it, so line numbers stay easy to count.</summary>
    public const string Listener = """
        [[listeners]]
        name = "web"
        listen = "127.0.0.1:8080"
        """;

    public static ConfigLoadResult Load(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigLoader.LoadText(text, SourceName, name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null);

    /// <summary><paramref name="text"/>, then <see cref="Listener"/> on the lines after it.</summary>
    public static ConfigLoadResult LoadWithListener(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        Load(text + "\n" + Listener, environment);

    public static ProxyConfig AssertLoads(ConfigLoadResult result)
    {
        Assert.Equal([], result.Errors.Select(error => error.ToString()));
        Assert.True(result.Succeeded);
        return result.Config!;
    }

    public static void AssertSingleError(ConfigLoadResult result, int line, int column, string message)
    {
        Assert.Null(result.Config);
        Assert.Equal(new ConfigError(SourceName, line, column, message), Assert.Single(result.Errors));
    }
}
