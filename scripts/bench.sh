#!/usr/bin/env bash
# Runs the BenchmarkDotNet suites in Release. Arguments go to BenchmarkDotNet, e.g.:
#   scripts/bench.sh --filter '*RequestHeadParser*'
#   scripts/bench.sh --filter '*Balancer*' --job short
# With no arguments it runs every suite. Results land in BenchmarkDotNet.Artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
[ $# -gt 0 ] || set -- --filter '*'
exec dotnet run -c Release --project perf/Benchmarks -- "$@"
