using Proxy.Engine.Config;

namespace Proxy.Host;

/// <summary>Prints configuration errors the way compilers do, one per line, to standard error.</summary>
internal static class ConfigErrors
{
    public static void Print(IReadOnlyList<ConfigError> errors)
    {
        foreach (ConfigError error in errors) Console.Error.WriteLine(error.ToString());
        Console.Error.WriteLine(errors.Count == 1 ? "1 error" : $"{errors.Count} errors");
    }
}
