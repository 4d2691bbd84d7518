namespace Proxy.Engine.Routing.RegexDfa;

/// <summary>The parsed form of a pattern in the subset <see cref="RegexSubsetParser"/> reads.</summary>
internal abstract record RegexNode;

/// <summary>One byte from a set: a literal, <c>.</c>, a class, <c>\d</c>.</summary>
internal sealed record ByteSetNode(ByteSet Set) : RegexNode;

/// <summary>Each item in turn; no items matches the empty string.</summary>
internal sealed record ConcatNode(RegexNode[] Items) : RegexNode;

/// <summary>Any one of the choices.</summary>
internal sealed record AlternationNode(RegexNode[] Choices) : RegexNode;

/// <summary>The item <see cref="Min"/> to <see cref="Max"/> times; <see cref="Max"/> -1 = unbounded.</summary>
internal sealed record RepeatNode(RegexNode Item, int Min, int Max) : RegexNode;

/// <summary><c>^</c> (start of the text) or <c>$</c> (end of the text, or before a final newline), as .NET reads them without options.</summary>
internal sealed record AnchorNode(bool AtStart) : RegexNode;
