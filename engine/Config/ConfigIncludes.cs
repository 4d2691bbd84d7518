using Proxy.Engine.Config.Toml;

namespace Proxy.Engine.Config;

/// <summary>
/// <c>include = ["conf.d/*.toml", "tls.toml"]</c>: more files merged into the configuration. Paths are relative to
/// the file that includes them; wildcards (<c>*</c>, <c>?</c>) may appear in the file-name part only, as in nginx,
/// and their matches are taken in name order. A named file that does not exist is an error; a wildcard that
/// matches nothing is not (an empty conf.d is normal). Included files may include others, up to
/// <see cref="MaxDepth"/> deep, never in a cycle.
/// </summary>
internal static class ConfigIncludes
{
    public const string Key = "include";
    public const int MaxDepth = 8;

    private static readonly char[] Wildcards = ['*', '?'];

    /// <summary>
    /// The files <paramref name="entry"/> names, in the order they are merged; problems go to
    /// <paramref name="errors"/>; the directories its wildcards read are added to <paramref name="wildcardDirectories"/>.
    /// </summary>
    public static List<string> Resolve(TomlEntry entry, string includingFile, ConfigErrors errors, ISet<string> wildcardDirectories)
    {
        var files = new List<string>();
        if (entry.Value is not TomlArray { IsArrayOfTables: false } patterns)
        {
            errors.Add(entry.Value.Position, $"`{Key}` must be an array of file paths, like [\"conf.d/*.toml\"], not {entry.Value.Description}");
            return files;
        }
        string baseDirectory = Path.GetDirectoryName(includingFile) ?? "";
        foreach (TomlValue item in patterns.Items)
        {
            if (item is not TomlScalar { Kind: TomlScalarKind.String, Value: string pattern } || pattern.Length == 0)
            {
                errors.Add(item.Position, $"`{Key}` entries must be non-empty strings (file paths), not {item.Description}");
                continue;
            }
            string combined = Path.Combine(baseDirectory, pattern);
            string directory = Path.GetDirectoryName(combined) ?? "";
            string fileName = Path.GetFileName(combined);
            if (directory.IndexOfAny(Wildcards) >= 0)
            {
                errors.Add(item.Position, $"`{Key}` = \"{pattern}\" has a wildcard in a directory name; wildcards are allowed in the file name only");
            }
            else if (fileName.IndexOfAny(Wildcards) < 0)
            {
                if (File.Exists(combined)) files.Add(combined);
                else errors.Add(item.Position, $"`{Key}` = \"{pattern}\": no such file ({combined})");
            }
            else
            {
                files.AddRange(Matches(directory, fileName, wildcardDirectories));
            }
        }
        return files;
    }

    private static IEnumerable<string> Matches(string directory, string fileNamePattern, ISet<string> wildcardDirectories)
    {
        string scanned = directory.Length == 0 ? "." : directory;
        wildcardDirectories.Add(scanned);
        if (!Directory.Exists(scanned)) return [];      // nothing to include (yet): a later reload may find some
        string[] matches = Directory.GetFiles(scanned, fileNamePattern);
        Array.Sort(matches, StringComparer.Ordinal);
        return matches.Select(match => directory.Length == 0 ? Path.GetFileName(match) : Path.Combine(directory, Path.GetFileName(match)));
    }
}
