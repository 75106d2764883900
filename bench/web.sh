#!/usr/bin/env bash
# Issue 5's measurements: scorecard generation for a 100-supplier synthetic tender (goal: under
# 2 s for HTML) with the HTML size, and the web page's time to first result for a search over
# 1,000,000 passages (goal: under 100 ms of server time).
#
#   bash bench/web.sh            # dev profile, as the tests build
#   PROFILE=release bash bench/web.sh
#
# The synthetic indexes are built once under $TMPDIR and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-dev}
flag=()
dir=debug
if [ "$profile" = release ]; then flag=(--release); dir=release; fi
target=${CARGO_TARGET_DIR:-target}
cargo build "${flag[@]}" --bin tenderscope --example report_bench --example serve_bench

echo "== report: library timings (100 suppliers x 5 files x 60 passages)"
"$target/$dir/examples/report_bench" --suppliers 100 --files 5 --passages 60
index="${TMPDIR:-/tmp}/tenderscope-report-bench-100x5x60"
echo "== report: the command line, end to end (rules loaded, index opened, HTML written)"
out="$(mktemp -d)"
/usr/bin/time -f "tenderscope report --format html: %e s, peak %M KB" \
  "$target/$dir/tenderscope" report --index "$index" --format html -o "$out/scorecard.html"
ls -l "$out/scorecard.html"
rm -rf "$out"

echo "== serve: time to first result over 1,000,000 passages"
/usr/bin/time -f "serve_bench: %e s, peak %M KB" \
  "$target/$dir/examples/serve_bench" --passages 1000000 --rounds 20
