using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>Everything a parsed head exposes, as plain values, so that two parses can be compared with one Assert.Equal.</summary>
internal sealed record HeadSnapshot(
    string StartLine, HttpVersion Version, BodyFraming Framing, long ContentLength, bool KeepAlive, string Headers, string Raw, long Consumed)
{
    public static HeadSnapshot Of(MessageHead head, long consumed) => new(
        StartLine: head switch
        {
            RequestHead r => $"{Text(r.MethodName)}({r.Method}) target={Text(r.Target)} path={Text(r.Path)} query={Text(r.Query)} " +
                $"host={Text(r.Host)} fromTarget={r.HostFromTarget} expect={r.ExpectContinue} upgrade={r.HasUpgrade}",
            ResponseHead r => $"{r.StatusCode} reason={Text(r.Reason)}",
            _ => "",
        },
        head.Version, head.Framing, head.ContentLength, head.KeepAlive, HeadersOf(head), Text(head.Raw), consumed);

    /// <summary>"name: value [Known] hop" lines, one per field.</summary>
    public static string HeadersOf(MessageHead head)
    {
        var lines = new List<string>();
        foreach (HeaderField field in head.Headers)
        {
            lines.Add($"{Text(head.NameOf(field))}: {Text(head.ValueOf(field))} [{field.Known}]{(field.IsHopByHop ? " hop" : "")}");
        }
        return string.Join("\n", lines);
    }
}
