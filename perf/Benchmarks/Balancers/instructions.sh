#!/usr/bin/env bash
# Instructions and simulated branch mispredictions per balancer pick, counted by callgrind: figures that a busy,
# shared machine cannot move, to set beside the BenchmarkDotNet times (as perf/Benchmarks/Protocols/instructions.sh
# does for the head parser).
#
#   perf/Benchmarks/Balancers/instructions.sh                         # least_conn, 2/16/256 destinations, every load
#   ALGORITHM=p2c SIZES="16 256" LOADS=mixed perf/Benchmarks/Balancers/instructions.sh
#
# Loads are those of LeastRequestsPickBenchmarks: mixed (weights 1-5, 0-3 in flight each, as BalancerPickBenchmarks),
# idle (weights 1-5, all tie), idle-equal (weight 1, all tie), one-least (all busy but one).
# How: a NativeAOT console for x86-64-v3 (AVX2, as the JIT uses here) picks COUNT times from one set; it runs under
# callgrind (--branch-sim=yes) for COUNT=20,000 and 60,000 and prints the difference / 40,000, so setup cancels out.
# Built by ../aot-loop.sh (NativeAOT: why, and what it needs). Needs valgrind.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
algorithm="${ALGORITHM:-least_conn}"
sizes="${SIZES:-2 16 256}"
loads="${LOADS:-mixed idle idle-equal one-least}"
. "$here/../aot-loop.sh"

cat > "$work/Program.cs" <<'CS'
using Proxy.Balancers;

// usage: PickLoop ALGORITHM SIZE LOAD COUNT
if (!BalancerFactory.TryParse(args[0], out BalancingAlgorithm algorithm)) throw new ArgumentException($"unknown algorithm '{args[0]}'");
int size = int.Parse(args[1]);
string load = args[2];
int count = int.Parse(args[3]);
var random = new Random(1);
var available = new DestinationState[size];
for (int i = 0; i < size; i++)
{
    int weight = load == "idle-equal" ? 1 : 1 + (i % 5);
    available[i] = new DestinationState($"10.0.{i / 250}.{(i % 250) + 1}:8080", weight);
    int inFlight = load switch
    {
        "mixed" => random.Next(0, 4),
        "one-least" => i == size / 2 ? 1 : random.Next(5, 9),
        "idle" or "idle-equal" => 0,
        _ => throw new ArgumentException($"unknown load '{load}'"),
    };
    for (int r = 0; r < inFlight; r++) available[i].OnRequestStart();
}
IBalancer balancer = BalancerFactory.Create(algorithm);
balancer.Prepare(available);
byte[] key = "user-0123abcd"u8.ToArray();
long sum = 0;
for (int i = 0; i < count; i++) sum += balancer.Pick(available, new PickContext(key, 1));
return sum >= 0 ? 0 : 1;
CS

aot_loop_build "$work" PickLoop "$root/balancers/Proxy.Balancers.csproj"

counts() { # size load count -> "instructions mispredictions" of the whole run
    valgrind --tool=callgrind --branch-sim=yes --callgrind-out-file="$work/cg.out" "$work/loop" "$algorithm" "$1" "$2" "$3" > /dev/null 2>&1
    # Totals line: Ir (%) Bc (%) Bcm (%) Bi (%) Bim (%): mispredicted = conditional + indirect.
    callgrind_annotate "$work/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", ""); print $1, $5 + $9 }'
}
echo "$algorithm: per pick (callgrind, --branch-sim=yes)"
for size in $sizes; do
    for load in $loads; do
        read -r small_instructions small_mispredicted < <(counts "$size" "$load" 20000)
        read -r large_instructions large_mispredicted < <(counts "$size" "$load" 60000)
        printf '  %4d destinations, %-10s %6d instructions, %5.1f mispredicted branches\n' "$size" "$load" \
            $(( (large_instructions - small_instructions) / 40000 )) \
            "$(echo "($large_mispredicted - $small_mispredicted) / 40000" | bc -l)"
    done
done
