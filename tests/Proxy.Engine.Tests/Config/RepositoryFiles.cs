namespace Proxy.Engine.Tests.Config;

/// <summary>Files of the repository the tests read (the shipped configs).</summary>
internal static class RepositoryFiles
{
    /// <summary>
    /// The repository's root: tests run from bin/&lt;configuration&gt;/&lt;framework&gt;/, and the root is the first
    /// folder above holding Proxy.sln.
    /// </summary>
    public static string Root()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Proxy.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Proxy.sln above {AppContext.BaseDirectory}");
    }
}
