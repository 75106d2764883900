#!/usr/bin/env bash
# Rule-set load time: how long `tenderscope rules version` takes, which is what every ingest
# and classify pays before its first passage.
#
#   bash bench/rules_load.sh                 # builds release, 30 runs of each case
#   RUNS=50 bash bench/rules_load.sh
#   BIN=/tmp/old/tenderscope bash bench/rules_load.sh   # time another build (no cargo build)
#
# Two cases: the rule set built into the binary (run from an empty directory, so that no
# ./rules is found) and the crate's rules/ directory (`rules version rules`). Prints the
# median wall time of each, and the mean CPU time (user + sys): the machine is shared, and
# CPU time moves less than wall time when other jobs run. Goal: median under 100 ms.
# Uses hyperfine when installed, else a bash loop timed with `date +%s%N`.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/tenderscope
fi
BIN=$(realpath "$BIN")
RULES=$(realpath rules)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

run_case() { # name, then the command (run in the empty directory)
  local name=$1; shift
  if command -v hyperfine >/dev/null; then
    (cd "$tmp" && hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$tmp/$name.json" "$*" >/dev/null)
    # hyperfine's JSON: one result with "median", "user" and "system" (seconds, means).
    local med user sys
    med=$(grep -o '"median": *[0-9.e-]*' "$tmp/$name.json" | head -1 | sed 's/.*: *//')
    user=$(grep -o '"user": *[0-9.e-]*' "$tmp/$name.json" | head -1 | sed 's/.*: *//')
    sys=$(grep -o '"system": *[0-9.e-]*' "$tmp/$name.json" | head -1 | sed 's/.*: *//')
    awk -v n="$name" -v m="$med" -v u="$user" -v s="$sys" -v r="$RUNS" \
      'BEGIN { printf "%-9s median %6.1f ms   cpu %6.1f ms   (%d runs, hyperfine)\n", n, m * 1000, (u + s) * 1000, r }'
  else
    "$@" >/dev/null # warm-up
    : > "$tmp/$name.times"
    for _ in $(seq "$RUNS"); do
      local t0 t1
      t0=$(date +%s%N)
      (cd "$tmp" && "$@" >/dev/null)
      t1=$(date +%s%N)
      echo $(( (t1 - t0) / 1000 )) >> "$tmp/$name.times"
    done
    awk -v n="$name" -v m="$(median < "$tmp/$name.times")" -v r="$RUNS" \
      'BEGIN { printf "%-9s median %6.1f ms   (%d runs, bash loop)\n", n, m / 1000, r }'
  fi
}

echo "$BIN rules version  ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
run_case embedded "$BIN" rules version
run_case dir "$BIN" rules version "$RULES"
