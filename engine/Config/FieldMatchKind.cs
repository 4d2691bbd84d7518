namespace Proxy.Engine.Config;

/// <summary>How a header or query condition of a route tests the request.</summary>
public enum FieldMatchKind
{
    /// <summary>Some field of that name has exactly this value.</summary>
    Equals,
    /// <summary>Some field of that name is there, whatever its value.</summary>
    Present,
    /// <summary>No field of that name is there.</summary>
    Absent,
    /// <summary>Some field of that name has a value the regular expression is found in.</summary>
    Regex,
}
