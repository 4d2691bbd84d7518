using Proxy.Engine.Config;

namespace Proxy.Host;

/// <summary>`proxy check FILE`: validation only.</summary>
internal static class CheckCommand
{
    public static int Execute(FileInfo file)
    {
        ConfigLoadResult result = ConfigLoader.LoadFile(file.FullName);
        if (!result.Succeeded)
        {
            ConfigErrors.Print(result.Errors);
            return 1;
        }
        ProxyConfig config = result.Config!;
        Console.WriteLine($"{file.FullName}: ok ({config.Listeners.Count} listeners, {config.Routes.Count} routes, {config.Clusters.Count} clusters)");
        return 0;
    }
}
