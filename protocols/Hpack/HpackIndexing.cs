namespace Proxy.Protocols.Hpack;

/// <summary>How <see cref="HpackEncoder"/> may represent a field that is not already in a table (RFC 7541 §6.2).</summary>
public enum HpackIndexing : byte
{
    /// <summary>
    /// The encoder's policy: never indexed for credentials and cookies, without indexing for values that change with
    /// every message (date, content-length, etag, :path, ...) and for fields too large for the table, incremental
    /// indexing for the rest. Fields already in the static or dynamic table are sent as an index.
    /// </summary>
    Auto,
    /// <summary>Literal with incremental indexing (RFC 7541 §6.2.1): added to both tables; an index when already there.</summary>
    Incremental,
    /// <summary>Literal without indexing (RFC 7541 §6.2.2); an index when the field is already in a table.</summary>
    WithoutIndexing,
    /// <summary>
    /// Never-indexed literal (RFC 7541 §6.2.3), always, even when the field is in a table: for secrets, and for a field
    /// that arrived never-indexed, which an intermediary must forward the same way.
    /// </summary>
    NeverIndexed,
}
