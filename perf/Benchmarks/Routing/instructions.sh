#!/usr/bin/env bash
# Instructions per route lookup for the requests of RouteLookupBenchmarks, counted by callgrind: a figure that a busy,
# shared machine cannot move, to set beside the BenchmarkDotNet times.
#
#   perf/Benchmarks/Routing/instructions.sh                    # every lookup, table of 10,000 routes
#   ROUTES=10 perf/Benchmarks/Routing/instructions.sh early    # one lookup, table of 10 routes
#   KEEP=/tmp perf/Benchmarks/Routing/instructions.sh regex    # also keep /tmp/callgrind.regex.out (callgrind_annotate)
#                                                              # and /tmp/route-lookup-loop (objdump -d --no-show-raw-insn)
#
# Lookups: early, late, wildcard, regex, normalise, refused, miss (the rows of RouteLookupBenchmarks, same requests).
# How: a small console, built with NativeAOT for x86-64-v3 (AVX2, as the JIT uses here), builds the table of
# RouteTables.cs and matches one request N times. It runs under callgrind for N=10,000 and N=30,000, counting only
# inside RoutingSnapshot.Match (so startup, the table's compilation and the GC are left out), and prints the
# difference / 20,000, so first-call costs cancel out too. Built by ../aot-loop.sh (NativeAOT: why, and what it needs).
# The JIT's code differs in detail (it knows the CPU exactly, and tiered PGO may devirtualise more), so compare
# instruction counts with each other, not with nanoseconds. Needs valgrind.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ $# -gt 0 ] || set -- early late wildcard regex normalise refused miss
routes="${ROUTES:-10000}"
. "$here/../aot-loop.sh"

cat > "$work/Program.cs" <<'CS'
using Proxy.Benchmarks.Routing;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;

// usage: Proxy.Benchmarks LOOKUP ROUTES COUNT
int count = int.Parse(args[2]);
RouteConfig[] routes = RouteTables.Routes(int.Parse(args[1]));
RoutingSnapshot snapshot = RouteTables.Snapshot(routes);
int lastExact = Array.FindLastIndex(routes, route => route.Path is not null);
int lastWildcard = Array.FindLastIndex(routes, route => route.Hosts is [['*', ..]]);
(RequestHead request, RouteMatchStatus expected) = args[0] switch
{
    "early" => (RouteTables.Request("GET", "svc1.example.com", "/api/v1/users/42?page=2"), RouteMatchStatus.Found),
    "late" => (RouteTables.Request("GET", "www.example.com", routes[lastExact].Path!), RouteMatchStatus.Found),
    "wildcard" => (RouteTables.Request("GET", "shop" + routes[lastWildcard].Hosts[0][1..] + ":8443", routes[lastWildcard].PathPrefix + "cart"), RouteMatchStatus.Found),
    "regex" => (RouteTables.Request("GET", "www.example.com", "/re1/12345/edit"), RouteMatchStatus.Found),
    "normalise" => (RouteTables.Request("GET", "SVC1.Example.com", "/api/x/../v1/%75sers//42"), RouteMatchStatus.Found),
    "refused" => (RouteTables.Request("DELETE", "svc1.example.com", "/api/v1/users"), RouteMatchStatus.MethodNotAllowed),
    "miss" => (RouteTables.Request("GET", "unknown.example.org", "/nothing/here"), RouteMatchStatus.NotFound),
    _ => throw new ArgumentException($"unknown lookup '{args[0]}'"),
};
int right = 0;
for (int i = 0; i < count; i++)
{
    if (snapshot.Match(request).Status == expected) right++;
}
return right == count ? 0 : 1;
CS

# Named Proxy.Benchmarks so that the engine's InternalsVisibleTo lets it build snapshots, as the benchmarks do.
aot_loop_build "$work" Proxy.Benchmarks "$root/engine/Proxy.Engine.csproj" "$here/RouteTables.cs"
if [ -n "${KEEP:-}" ]; then cp "$work/loop" "$KEEP/route-lookup-loop"; fi

instructions() { # lookup count -> instructions of the whole run
    valgrind --tool=callgrind --toggle-collect='*RoutingSnapshot__Match*' --callgrind-out-file="$work/cg.$1.$2" "$work/loop" "$1" "$routes" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
echo "table of $routes routes"
for lookup in "$@"; do
    small=$(instructions "$lookup" 10000)
    large=$(instructions "$lookup" 30000)
    echo "$lookup: $(( (large - small) / 20000 )) instructions per lookup"
    if [ -n "${KEEP:-}" ]; then cp "$work/cg.$lookup.30000" "$KEEP/callgrind.$lookup.out"; echo "  kept $KEEP/callgrind.$lookup.out"; fi
done
