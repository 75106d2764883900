#!/usr/bin/env bash
# Instructions per classified passage, counted by callgrind: a measure of the classifier's
# work that the machine's load does not move (criterion's passages per second, `cargo bench
# --bench classify`, is the goal's measure, but on a shared machine two builds can only be
# compared by timing in one quiet run).
#
#   bash bench/classify_instructions.sh                        # this checkout
#   BASE=/tmp/old/classify_count bash bench/classify_instructions.sh   # and another build's
#
# BASE is the `classify_count` example binary of another build (copy it out of
# target/release/examples/ before changing the code). Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${PASSES:-10}
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian package valgrind)" >&2; exit 1; }
cargo build --release --quiet --example classify_count
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

count() { # name, binary
  local out n ir
  out=$(valgrind --tool=callgrind --toggle-collect='classify_count::classify_all' \
    --callgrind-out-file="$tmp/$1.out" "$2" "$PASSES" 2>"$tmp/$1.err")
  n=$out
  ir=$(grep -o 'Collected : [0-9]*' "$tmp/$1.err" | grep -o '[0-9]*$')
  awk -v name="$1" -v ir="$ir" -v n="$n" \
    'BEGIN { printf "%-6s %12d instructions for %d passages: %8.0f a passage\n", name, ir, n, ir / n }'
  echo "$ir $n" > "$tmp/$1.sum"
}

count this target/release/examples/classify_count
if [ -n "${BASE:-}" ]; then
  count base "$BASE"
  read -r a n < "$tmp/this.sum"; read -r b _ < "$tmp/base.sum"
  awk -v a="$a" -v b="$b" 'BEGIN { printf "this build does %.3f of the base build'\''s work (%.1f%% fewer instructions)\n", a / b, (1 - a / b) * 100 }'
fi
