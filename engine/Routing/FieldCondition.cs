using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Config.Values;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// One compiled entry of a route's <c>headers</c> or <c>query</c>. A header condition holds when some field of
/// that name (case-insensitive) passes it; a query condition when some parameter of that name (after
/// form-decoding) does; <see cref="FieldMatchKind.Absent"/> when none is there. Values compare exactly,
/// case-sensitively; a regex is searched for, not anchored. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class FieldCondition
{
    private readonly byte[] _name;
    private readonly byte[] _value;
    private readonly ByteRegex? _regex;

    public FieldCondition(FieldMatchConfig config)
    {
        Kind = config.Kind;
        _name = Encoding.UTF8.GetBytes(config.Name);
        _value = Encoding.UTF8.GetBytes(config.Value);
        _regex = config.Kind == FieldMatchKind.Regex ? RouteValues.CreateRegex(config.Value) : null;
    }

    public FieldMatchKind Kind { get; }

    public bool HoldsForHeaders(MessageHead? head)
    {
        bool found = false;
        if (head is not null)
        {
            foreach (ref readonly HeaderField field in head.Headers)
            {
                if (!Ascii.EqualsIgnoreCase(head.NameOf(field), _name)) continue;
                found = true;
                if (Kind switch
                {
                    FieldMatchKind.Equals => head.ValueOf(field).SequenceEqual(_value),
                    FieldMatchKind.Regex => _regex!.IsMatchLatin1(head.ValueOf(field)),
                    _ => true,
                })
                {
                    return Kind != FieldMatchKind.Absent;
                }
            }
        }
        return Kind == FieldMatchKind.Absent && !found;
    }

    public bool HoldsForQuery(ReadOnlySpan<byte> query)
    {
        while (ByteText.NextQueryPair(query, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out query))
        {
            if (!ByteText.FormDecodedEquals(name, _name)) continue;
            switch (Kind)
            {
                case FieldMatchKind.Absent:
                    return false;
                case FieldMatchKind.Present:
                    return true;
                case FieldMatchKind.Equals when ByteText.FormDecodedEquals(value, _value):
                    return true;
                case FieldMatchKind.Regex when ByteText.RegexFindsFormDecoded(_regex!.Regex, value):
                    return true;
            }
        }
        return Kind == FieldMatchKind.Absent;
    }
}
