using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Routing.RegexDfa;

/// <summary>
/// A deterministic automaton over bytes for one pattern of <see cref="RegexSubsetParser"/>'s subset, answering what
/// .NET's <c>Regex.IsMatch</c> answers on the same bytes read as Latin-1: is the pattern found anywhere in the text.
/// One table lookup per byte, so the time is linear in the text whatever the pattern, as with NonBacktracking,
/// without the per-call set-up of .NET's engine or the widening of bytes to chars.
/// </summary>
/// <remarks>
/// Built by Thompson's construction (a nondeterministic automaton with empty moves), then the subset construction,
/// all at config load. Bytes that every transition treats alike share a column ("byte classes"), so a table is a
/// few columns wide. Searching anywhere is built in: every state also holds the automaton's start, so a match may
/// begin at any byte; without <c>$</c>, reaching an accepting state ends the search.
/// </remarks>
internal sealed class ByteDfa
{
    /// <summary>Patterns whose automaton grows past this many states run on .NET's engine instead.</summary>
    public const int MaxStates = 1_000;

    // Bounds the build, not just the result: a pattern of many classes repeated many times would otherwise spend
    // seconds of config loading on subsets before being declined (measured: 2.5 s at 8,400 states).
    private const int MaxNfaStates = 2_000;

    // States are named by where their row starts in _next (state × columns), so a step is one add and one load.
    // A move into an accepting state is stored as the complement of the row (negative), so a step also says
    // whether the text read so far ends a match without a second table.
    private readonly byte[] _classOf;      // byte -> column
    private readonly int[] _next;          // row + column -> the next state's row, complemented if it accepts
    private readonly int _startRow;
    private readonly bool _startAccepts;
    private readonly int _deadRow;         // no match can follow (only with ^): -1 when every state can still reach one
    private readonly bool _anchoredEnd;

    private ByteDfa(byte[] classOf, int[] next, int startRow, bool startAccepts, int deadRow, bool anchoredEnd)
    {
        _classOf = classOf;
        _next = next;
        _startRow = startRow;
        _startAccepts = startAccepts;
        _deadRow = deadRow;
        _anchoredEnd = anchoredEnd;
    }

    /// <summary>The automaton of <paramref name="pattern"/>, or null when the pattern is outside the subset or its automaton too large.</summary>
    public static ByteDfa? TryBuild(string pattern)
    {
        RegexNode? tree = RegexSubsetParser.Parse(pattern);
        if (tree is null) return null;
        bool anchoredStart = false, anchoredEnd = false;
        RegexNode body = tree;
        if (tree is AnchorNode single)
        {
            anchoredStart = single.AtStart;
            anchoredEnd = !single.AtStart;
            body = new ConcatNode([]);
        }
        else if (tree is ConcatNode concat)
        {
            anchoredStart = concat.Items is [AnchorNode { AtStart: true }, ..];
            anchoredEnd = concat.Items is [.., AnchorNode { AtStart: false }];
            body = new ConcatNode(concat.Items.Where(item => item is not AnchorNode).ToArray());
        }

        var nfa = new Nfa();
        if (!nfa.TryAdd(body, out int nfaStart, out int nfaAccept)) return null;
        return Determinise(nfa, nfaStart, nfaAccept, anchoredStart, anchoredEnd);
    }

    /// <summary>Whether the pattern is found in <paramref name="text"/> (bytes read as Latin-1 chars).</summary>
    public bool IsMatch(ReadOnlySpan<byte> text)
    {
        if (!_anchoredEnd)
        {
            // Found anywhere: the first accepting state settles it.
            if (_startAccepts) return true;
            int row = _startRow;
            foreach (byte b in text)
            {
                row = Step(row, b);
                if (row < 0) return true;
                if (row == _deadRow) return false;
            }
            return false;
        }

        // Ending with $: accepting after the last byte, or, as .NET's $ also matches before a final newline, after
        // the one before it when that last byte is '\n'.
        bool accepts = _startAccepts;
        int current = _startRow;
        for (int i = 0; i < text.Length; i++)
        {
            if (i == text.Length - 1 && text[i] == (byte)'\n' && accepts) return true;
            int next = Step(current, text[i]);
            accepts = next < 0;
            current = accepts ? ~next : next;
            if (current == _deadRow) return false;
        }
        return accepts;
    }

    // The next state's row for byte b from the state at row (never negative here), complemented if it accepts.
    // Unchecked reads: b is below 256 and the class and row come from the table itself.
    private int Step(int row, byte b)
    {
        int column = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_classOf), b);
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_next), row + column);
    }

    private static ByteDfa? Determinise(Nfa nfa, int nfaStart, int nfaAccept, bool anchoredStart, bool anchoredEnd)
    {
        (byte[] classOf, ByteSet[] columns) = ByteClasses(nfa);
        var startClosure = new SortedSet<int>();
        nfa.AddClosure(nfaStart, startClosure);

        var states = new List<int[]>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = new List<int>();
        int Intern(SortedSet<int> set)
        {
            // Searching anywhere: a match may start at every byte, so every state also holds the start.
            if (!anchoredStart) set.UnionWith(startClosure);
            string key = string.Join(',', set);
            if (index.TryGetValue(key, out int id)) return id;
            id = states.Count;
            index.Add(key, id);
            states.Add([.. set]);
            return id;
        }

        int start = Intern(new SortedSet<int>(startClosure));
        for (int state = 0; state < states.Count; state++)
        {
            if (states.Count > MaxStates) return null;
            foreach (ByteSet column in columns)
            {
                var target = new SortedSet<int>();
                int representative = FirstByteOf(column);
                foreach (int s in states[state])
                {
                    if (nfa.Edge(s) is (ByteSet set, int to) && set.Contains(representative)) nfa.AddClosure(to, target);
                }
                next.Add(Intern(target));
            }
        }

        bool[] accepting = states.Select(set => Array.IndexOf(set, nfaAccept) >= 0).ToArray();
        int width = columns.Length;
        int[] table = next.Select(target => accepting[target] ? ~(target * width) : target * width).ToArray();
        int dead = states.FindIndex(set => set.Length == 0);
        return new ByteDfa(classOf, table, start * width, accepting[start], dead < 0 ? -1 : dead * width, anchoredEnd);
    }

    // Bytes that belong to exactly the same edge sets behave alike in every state: one column for each such group.
    private static (byte[] ClassOf, ByteSet[] Columns) ByteClasses(Nfa nfa)
    {
        ByteSet[] sets = nfa.EdgeSets().Distinct().ToArray();
        var classOf = new byte[256];
        var columns = new List<ByteSet>();
        var bySignature = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
        {
            string signature = string.Concat(sets.Select(set => set.Contains(b) ? '1' : '0'));
            if (!bySignature.TryGetValue(signature, out int column))
            {
                column = columns.Count;
                bySignature.Add(signature, column);
                columns.Add(ByteSet.Empty);
            }
            columns[column] = columns[column].With(b);
            classOf[b] = (byte)column;
        }
        return (classOf, [.. columns]);
    }

    private static int FirstByteOf(ByteSet set)
    {
        for (int b = 0; b < 256; b++)
        {
            if (set.Contains(b)) return b;
        }
        throw new InvalidOperationException("a byte class is never empty");
    }

    /// <summary>Thompson's automaton: each state has empty moves and at most one move on a set of bytes.</summary>
    private sealed class Nfa
    {
        private readonly List<List<int>> _empty = [];
        private readonly List<(ByteSet Set, int To)?> _edge = [];

        public (ByteSet Set, int To)? Edge(int state) => _edge[state];

        public IEnumerable<ByteSet> EdgeSets() => _edge.Where(edge => edge is not null).Select(edge => edge!.Value.Set);

        public void AddClosure(int state, SortedSet<int> into)
        {
            var pending = new Stack<int>();
            if (into.Add(state)) pending.Push(state);
            while (pending.Count > 0)
            {
                foreach (int to in _empty[pending.Pop()])
                {
                    if (into.Add(to)) pending.Push(to);
                }
            }
        }

        /// <summary>Adds the states of <paramref name="node"/>; false when the automaton would grow too large.</summary>
        public bool TryAdd(RegexNode node, out int start, out int end)
        {
            start = end = 0;
            if (_edge.Count > MaxNfaStates) return false;
            switch (node)
            {
                case ByteSetNode byteSet:
                    start = NewState();
                    end = NewState();
                    _edge[start] = (byteSet.Set, end);
                    return true;
                case ConcatNode concat:
                    start = end = NewState();
                    foreach (RegexNode item in concat.Items)
                    {
                        if (!TryAdd(item, out int itemStart, out int itemEnd)) return false;
                        _empty[end].Add(itemStart);
                        end = itemEnd;
                    }
                    return true;
                case AlternationNode alternation:
                    start = NewState();
                    end = NewState();
                    foreach (RegexNode choice in alternation.Choices)
                    {
                        if (!TryAdd(choice, out int choiceStart, out int choiceEnd)) return false;
                        _empty[start].Add(choiceStart);
                        _empty[choiceEnd].Add(end);
                    }
                    return true;
                case RepeatNode repeat:
                    return TryAddRepeat(repeat, out start, out end);
                default:
                    return false;   // anchors are taken off the ends before building; elsewhere the parser declines them
            }
        }

        // item{min,max}: min copies in a row, then either one copy that loops (unbounded) or max - min optional copies.
        private bool TryAddRepeat(RepeatNode repeat, out int start, out int end)
        {
            start = end = NewState();
            for (int i = 0; i < repeat.Min; i++)
            {
                if (!TryAdd(repeat.Item, out int itemStart, out int itemEnd)) return false;
                _empty[end].Add(itemStart);
                end = itemEnd;
            }
            if (repeat.Max < 0)
            {
                if (!TryAdd(repeat.Item, out int loopStart, out int loopEnd)) return false;
                int after = NewState();
                _empty[end].Add(loopStart);
                _empty[end].Add(after);
                _empty[loopEnd].Add(loopStart);
                _empty[loopEnd].Add(after);
                end = after;
                return true;
            }
            int finish = NewState();
            for (int i = repeat.Min; i < repeat.Max; i++)
            {
                if (!TryAdd(repeat.Item, out int itemStart, out int itemEnd)) return false;
                _empty[end].Add(finish);
                _empty[end].Add(itemStart);
                end = itemEnd;
            }
            _empty[end].Add(finish);
            end = finish;
            return true;
        }

        private int NewState()
        {
            _empty.Add([]);
            _edge.Add(null);
            return _edge.Count - 1;
        }
    }
}
