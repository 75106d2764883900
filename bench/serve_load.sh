#!/usr/bin/env bash
# Issue 6's load test: `tenderscope serve` under concurrent searches from a second process on
# loopback, with errors counted and the latency at p50, p95 and p99.
#
#   bash bench/serve_load.sh                       # release build, 1,000,000 passages
#   PASSAGES=100000 CONNECTIONS=8,32 REQUESTS=2000 bash bench/serve_load.sh
#   PROFILE=dev bash bench/serve_load.sh
#
# Builds (once, reused from $TMPDIR like bench/web.sh's) the synthetic index of
# examples/synthetic (500 suppliers, 10 files each, PASSAGES passages), starts
# `tenderscope serve` on 127.0.0.1 with a port the kernel picks, then runs
# examples/serve_load against it: for each number of connections, REQUESTS requests (or
# SECONDS seconds) of a mix of searches, filters, facets and evidence pages. The server is
# stopped on exit. Exits non-zero if any request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
passages=${PASSAGES:-1000000}
connections=${CONNECTIONS:-8,32,64}
flag=()
dir=debug
if [ "$profile" = release ]; then flag=(--release); dir=release; fi
target=${CARGO_TARGET_DIR:-target}
cargo build "${flag[@]}" --bin tenderscope --example serve_load
bin="$target/$dir/tenderscope"
client="$target/$dir/examples/serve_load"

index="${TMPDIR:-/tmp}/tenderscope-serve-bench-$passages"
echo "== index: $index ($passages passages)"
"$client" --build "$index" --passages "$passages"

log="$(mktemp)"
"$bin" serve --index "$index" --bind 127.0.0.1:0 2>"$log" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

# The server prints its address once it listens.
url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "the server stopped" >&2; exit 2; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "the server did not start" >&2; exit 2; }
echo "== server: pid $server on $url"

load=(--url "$url" --connections "$connections")
if [ -n "${SECONDS_PER_LEVEL:-}" ]; then
  load+=(--seconds "$SECONDS_PER_LEVEL")
else
  load+=(--requests "${REQUESTS:-5000}")
fi
echo "== load: serve_load ${load[*]}"
status=0
"$client" "${load[@]}" || status=$?
echo "== server: resident memory after the load $(ps -o rss= -p "$server" | tr -d ' ') KB; its log:"
cat "$log"
exit "$status"
