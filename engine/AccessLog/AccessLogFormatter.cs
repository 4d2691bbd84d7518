using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Proxy.Engine.Metrics;

namespace Proxy.Engine.AccessLog;

/// <summary>
/// Formats one <see cref="RequestRecord"/> as one line of JSON, ending in '\n':
/// <code>
/// {"time":"2025-06-01T12:00:00.1234567Z","request_id":"4bf92f3577b34da6a3ce929d0e0e4736",
///  "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","client":"203.0.113.7",
///  "method":"GET","host":"api.example.com","path":"/v1/users","status":200,"bytes_received":112,
///  "bytes_sent":1432,"duration_ms":1.284,"upstream_duration_ms":0.913,"route":"api-v1","cluster":"api",
///  "destination":"10.0.0.5:8080","retries":0,"error":null}
/// </code>
/// (one line in the output; "query" follows "path" when <c>include_query</c> is on). Every field is always present, null
/// when unknown, so that every line has the same shape. <c>time</c> is when the request started (UTC).
/// </summary>
/// <remarks>
/// Allocation-free: one <see cref="Utf8JsonWriter"/> per thread, re-aimed at each line with Reset; names of routes,
/// clusters and destinations are pre-escaped. Bytes from the client are written as UTF-8 when they are valid UTF-8,
/// else byte by byte as Latin-1 (so nothing is lost and the line stays valid JSON). The relaxed encoder leaves
/// characters such as '&lt;' and '+' readable: the output is a log, never HTML.
/// </remarks>
internal static class AccessLogFormatter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("request_id");
    private static readonly JsonEncodedText TraceParent = JsonEncodedText.Encode("traceparent");
    private static readonly JsonEncodedText Client = JsonEncodedText.Encode("client");
    private static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText Host = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText Path = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText Query = JsonEncodedText.Encode("query");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText BytesReceived = JsonEncodedText.Encode("bytes_received");
    private static readonly JsonEncodedText BytesSent = JsonEncodedText.Encode("bytes_sent");
    private static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("duration_ms");
    private static readonly JsonEncodedText UpstreamDurationMs = JsonEncodedText.Encode("upstream_duration_ms");
    private static readonly JsonEncodedText Route = JsonEncodedText.Encode("route");
    private static readonly JsonEncodedText Cluster = JsonEncodedText.Encode("cluster");
    private static readonly JsonEncodedText Destination = JsonEncodedText.Encode("destination");
    private static readonly JsonEncodedText Retries = JsonEncodedText.Encode("retries");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText[] ErrorNames = BuildErrorNames();

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Writes the line for <paramref name="record"/> into <paramref name="output"/>.</summary>
    /// <param name="record">The finished request.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="nowUtc">The time now, from which the start time is computed (the record's timestamps are relative).</param>
    /// <param name="includeQuery">Whether to write "query".</param>
    public static void Format(in RequestRecord record, IBufferWriter<byte> output, DateTime nowUtc, bool includeQuery)
    {
        Utf8JsonWriter json = t_writer ??= new Utf8JsonWriter(output, Options);
        json.Reset(output);

        json.WriteStartObject();
        json.WriteString(Time, nowUtc - TimeSpan.FromSeconds(record.DurationSeconds));
        WriteOptional(json, RequestId, record.RequestId);
        WriteOptional(json, TraceParent, record.TraceParent);
        WriteOptional(json, Client, record.ClientAddress);
        WriteBytes(json, Method, record.Method);
        WriteOptional(json, Host, record.Host);
        WriteBytes(json, Path, record.Path);
        if (includeQuery) WriteOptional(json, Query, record.Query);
        json.WriteNumber(Status, record.Status);
        json.WriteNumber(BytesReceived, record.BytesReceived);
        json.WriteNumber(BytesSent, record.BytesSent);
        json.WriteNumber(DurationMs, Milliseconds(record.DurationSeconds));
        if (record.HasUpstreamTiming) json.WriteNumber(UpstreamDurationMs, Milliseconds(record.UpstreamDurationSeconds));
        else json.WriteNull(UpstreamDurationMs);

        RouteMetrics? route = record.Route;
        if (route is null) json.WriteNull(Route);
        else json.WriteString(Route, route.JsonName);
        ClusterMetrics? cluster = route?.Cluster;
        if (cluster is null) json.WriteNull(Cluster);
        else json.WriteString(Cluster, cluster.JsonName);
        if (record.Destination is null) json.WriteNull(Destination);
        else json.WriteString(Destination, record.Destination.JsonAddress);

        json.WriteNumber(Retries, record.Retries);
        if (record.Error == RequestError.None || (uint)record.Error >= (uint)ErrorNames.Length) json.WriteNull(Error);
        else json.WriteString(Error, ErrorNames[(int)record.Error]);
        json.WriteEndObject();
        json.Flush();

        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    private static double Milliseconds(double seconds) => Math.Round(seconds * 1000, 3);

    private static void WriteOptional(Utf8JsonWriter json, JsonEncodedText name, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) json.WriteNull(name);
        else WriteBytes(json, name, value);
    }

    private static void WriteBytes(Utf8JsonWriter json, JsonEncodedText name, ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            json.WriteString(name, value);
            return;
        }
        // Not UTF-8 (obs-text in a header, say): one char per byte, as Latin-1, escaped by the writer.
        char[] chars = ArrayPool<char>.Shared.Rent(value.Length);
        for (int i = 0; i < value.Length; i++) chars[i] = (char)value[i];
        json.WriteString(name, chars.AsSpan(0, value.Length));
        ArrayPool<char>.Shared.Return(chars);
    }

    private static JsonEncodedText[] BuildErrorNames()
    {
        var names = new JsonEncodedText[RequestErrors.Count];
        foreach (RequestError error in RequestErrors.All) names[(int)error] = JsonEncodedText.Encode(RequestErrors.NameOf(error));
        return names;
    }
}
