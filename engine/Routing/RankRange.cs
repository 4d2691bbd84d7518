namespace Proxy.Engine.Routing;

/// <summary>A list of ranks inside a <see cref="PathIndex"/>'s one array of ranks: where it starts and how many.</summary>
internal readonly record struct RankRange(int Start, int Length)
{
    public bool IsEmpty => Length == 0;
}
