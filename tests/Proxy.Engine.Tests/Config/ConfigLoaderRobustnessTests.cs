using Proxy.Engine.Config;

namespace Proxy.Engine.Tests.Config;

/// <summary>Whatever the bytes, loading returns errors; it never throws.</summary>
public sealed class ConfigLoaderRobustnessTests
{
    private const string Alphabet = "[]{}=\",.:#\n $'\\-_0123456789abcxyzsmhKiB*/";

    [Fact]
    public void LoadText_ReferenceWithRandomEdits_NeverThrowsAndEveryErrorHasAPosition()
    {
        var random = new Random(20_240_611);     // fixed seed: a failure is repeatable
        string reference = ReferenceConfig.Full;
        for (int round = 0; round < 1_500; round++)
        {
            char[] text = reference.ToCharArray();
            int edits = 1 + random.Next(4);
            for (int i = 0; i < edits; i++)
            {
                text[random.Next(text.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }
            string mutated = new(text);

            ConfigLoadResult result = ConfigLoader.LoadText(mutated, "fuzz.toml", _ => null);

            Assert.True(result.Succeeded || result.Errors.Count > 0, mutated);
            Assert.All(result.Errors, error => Assert.True(error.Line >= 1 && error.Column >= 1 && error.Message.Length > 0, mutated));
        }
    }

    [Fact]
    public void LoadText_ReferenceTruncatedAtEveryLine_NeverThrows()
    {
        string[] lines = ReferenceConfig.Full.Split('\n');
        for (int count = 0; count <= lines.Length; count++)
        {
            string text = string.Join('\n', lines[..count]);
            ConfigLoadResult result = ConfigLoader.LoadText(text, "cut.toml", _ => null);
            Assert.True(result.Succeeded || result.Errors.Count > 0);
        }
    }
}
