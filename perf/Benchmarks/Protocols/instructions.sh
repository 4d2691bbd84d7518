#!/usr/bin/env bash
# Instructions per parse of the sample heads in HeadSamples.cs, counted by callgrind: a figure that a busy, shared
# machine cannot move, to set beside the BenchmarkDotNet times.
#
#   perf/Benchmarks/Protocols/instructions.sh                  # request, request3 (three segments), response
#   perf/Benchmarks/Protocols/instructions.sh response         # one of them
#   KEEP=/tmp perf/Benchmarks/Protocols/instructions.sh request   # also keep /tmp/callgrind.request.out (callgrind_annotate)
#
# How: a small console, built with NativeAOT for x86-64-v3 (AVX2, as the JIT uses here), parses one head N times.
# It runs under callgrind for N=10,000 and N=30,000 and prints the difference / 20,000, so startup cancels out.
# Built by ../aot-loop.sh (NativeAOT: why, and what it needs). Needs valgrind.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ $# -gt 0 ] || set -- request request3 response
. "$here/../aot-loop.sh"

cat > "$work/Program.cs" <<'CS'
using System.Buffers;
using Proxy.Benchmarks.Protocols;
using Proxy.Protocols.Http1;

// usage: HeadParseLoop request|request3|response COUNT
int count = int.Parse(args[1]);
var request = new RequestHead(HeadLimits.Default);
var response = new ResponseHead(HeadLimits.Default);
ReadOnlySequence<byte> input = args[0] switch
{
    "request" => HeadSamples.Request(),
    "request3" => HeadSamples.RequestInThreeSegments(),
    "response" => HeadSamples.Response(),
    _ => throw new ArgumentException($"unknown head '{args[0]}'"),
};
bool isResponse = args[0] == "response";
int complete = 0;
for (int i = 0; i < count; i++)
{
    bool parsed = isResponse
        ? ResponseHeadParser.TryParse(input, response, KnownMethod.Get, out _)
        : RequestHeadParser.TryParse(input, request, out _);
    if (parsed) complete++;
}
return complete == count ? 0 : 1;
CS

aot_loop_build "$work" HeadParseLoop "$root/protocols/Proxy.Protocols.csproj" "$here/HeadSamples.cs"

instructions() { # head count -> instructions of the whole run
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$1.$2" "$work/loop" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for head in "$@"; do
    small=$(instructions "$head" 10000)
    large=$(instructions "$head" 30000)
    echo "$head: $(( (large - small) / 20000 )) instructions per parse"
    if [ -n "${KEEP:-}" ]; then cp "$work/cg.$head.30000" "$KEEP/callgrind.$head.out"; echo "  kept $KEEP/callgrind.$head.out"; fi
done
