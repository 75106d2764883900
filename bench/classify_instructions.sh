#!/usr/bin/env bash
# Instructions per classified passage, counted by callgrind: a measure of the classifier's
# work that the machine's load does not move (criterion's passages per second, `cargo bench
# --bench classify` and `--bench classify_new`, are the goal's measures, but on a shared
# machine two builds can only be compared by timing in one quiet run).
#
#   bash bench/classify_instructions.sh                        # this checkout
#   BASE=/tmp/old/classify_count bash bench/classify_instructions.sh   # and another build's
#   NEW_FILE=passages.txt bash bench/classify_instructions.sh  # new text from a file
#
# Two counts (see examples/classify_count.rs):
# * new: text the classifier has not seen, as ingestion meets it: the 619 passages of
#   ../shared/realworld/dev.jsonl (or NEW_FILE's lines), once, with fresh regex caches;
# * repeated: the labelled set PASSES times (default 10) after a warm-up pass, the steady
#   state of `cargo bench --bench classify`.
# BASE is the `classify_count` example binary of another build (copy it out of
# target/release/examples/ before changing the code). Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${PASSES:-10}
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian package valgrind)" >&2; exit 1; }
cargo build --release --quiet --example classify_count
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
THIS=${CARGO_TARGET_DIR:-target}/release/examples/classify_count

count() { # name, binary, arguments
  local name=$1 bin=$2 out n ir
  shift 2
  out=$(valgrind --tool=callgrind --toggle-collect='classify_count::classify_all' \
    --callgrind-out-file="$tmp/$name.out" "$bin" "$@" 2>"$tmp/$name.err")
  n=$out
  ir=$(grep -o 'Collected : [0-9]*' "$tmp/$name.err" | grep -o '[0-9]*$')
  awk -v name="$name" -v ir="$ir" -v n="$n" \
    'BEGIN { printf "%-14s %13d instructions for %6d passages: %9.0f a passage\n", name, ir, n, ir / n }'
  echo "$ir $n" > "$tmp/$name.sum"
}

compare() { # mode
  read -r a _ < "$tmp/this-$1.sum"; read -r b _ < "$tmp/base-$1.sum"
  awk -v m="$1" -v a="$a" -v b="$b" 'BEGIN { printf "%s text: this build does %.3f of the base build'\''s work (%.1f%% fewer instructions)\n", m, a / b, (1 - a / b) * 100 }'
}

for mode in new repeated; do
  if [ "$mode" = new ]; then args=(new ${NEW_FILE:+"$NEW_FILE"}); else args=("$PASSES"); fi
  count "this-$mode" "$THIS" "${args[@]}"
  if [ -n "${BASE:-}" ]; then
    count "base-$mode" "$BASE" "${args[@]}"
    compare "$mode"
  fi
done
