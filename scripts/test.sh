#!/usr/bin/env bash
# Runs every test of the solution and prints, alone on its last line, "N passed, N failed, N skipped".
# Exits non-zero when anything failed, including a build error or a test run that died (each counts as a failure).
# CI (.ci/run) calls exactly this; so does the README.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*" >&2; }

# Tools the end-to-end tests drive as real clients (curl, nghttp, h2load, python3-h2). A fresh machine lacks them.
scripts/install-tools.sh test >&2 || log "warning: could not install every test tool; tests that need one will fail"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

log "building ($configuration)"
if ! dotnet build Proxy.sln -c "$configuration" -nologo -v quiet >"$out/build.log" 2>&1; then
  grep -E "error" "$out/build.log" | sort -u | head -50
  echo "0 passed, 1 failed"
  exit 1
fi

projects=$(dotnet sln Proxy.sln list | grep -E '^tests/.*\.csproj$')
expected=$(printf '%s\n' "$projects" | wc -l)
log "running $expected test projects"
# --blame-hang turns a test that never ends into a failure with a dump instead of a stuck CI.
dotnet test Proxy.sln -c "$configuration" --no-build -nologo \
  --blame-hang-timeout 5m ${TEST_FILTER:+--filter "$TEST_FILTER"} 2>&1 | tee "$out/test.log"
status=${PIPESTATUS[0]}

# The in-process end-to-end tests once more on the other transport (server.transport = "sockets"): the first run
# used the default, the proxy's own epoll loops, so every forwarding test passes on both.
if [ "$(uname -s)" = Linux ]; then
  expected=$((expected + 1))
  log "running the end-to-end tests again with server.transport = \"sockets\""
  PROXY_TEST_TRANSPORT=sockets dotnet test tests/EndToEnd.Tests -c "$configuration" --no-build -nologo \
    --blame-hang-timeout 5m ${TEST_FILTER:+--filter "$TEST_FILTER"} 2>&1 | tee -a "$out/test.log"
  second=${PIPESTATUS[0]}
  [ "$status" -ne 0 ] || status=$second
fi

# One summary line per project that ran, e.g. "Passed!  - Failed:     0, Passed:    12, Skipped:     1, Total: ..."
summaries=$(grep -E '^(Passed|Failed)!  - Failed:' "$out/test.log" || true)
sum() { printf '%s\n' "$summaries" | sed -nE "s/.*$1: *([0-9]+).*/\1/p" | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
ran=$(printf '%s' "$summaries" | grep -c . || true)

# A project whose run crashed prints no summary: count it as one failure so it cannot pass silently.
if [ "$ran" -lt "$expected" ] && [ -z "${TEST_FILTER:-}" ]; then
  log "$((expected - ran)) test project(s) printed no summary (crashed or aborted)"
  failed=$((failed + expected - ran))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  log "dotnet test exited with $status without a failed test: counting it as a failure"
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
