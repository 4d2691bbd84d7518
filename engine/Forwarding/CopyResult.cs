namespace Proxy.Engine.Forwarding;

/// <summary>How copying a body from one side to the other ended.</summary>
internal enum CopyResult : byte
{
    Completed,
    /// <summary>The sending side closed before the body's framing said it was over.</summary>
    SourceEnded,
    /// <summary>Reading the sending side failed (reset, or cut by a timeout).</summary>
    SourceFailed,
    /// <summary>The receiving side is gone.</summary>
    DestinationFailed,
    /// <summary>The body grew past its size limit (a request body over max_request_body: 413).</summary>
    TooLarge,
}
