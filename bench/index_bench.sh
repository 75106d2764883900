#!/usr/bin/env bash
# Issue 4's ingest benchmark, on synthetic batches made from the demo batch
# (examples/make_batch.rs: N suppliers x M files, every file distinct).
#
#   bash bench/index_bench.sh              # full scale: 500 / 2,000 / 10,000 files
#   QUICK=1 bash bench/index_bench.sh      # reduced scale: 100 / 400 / 1,000 files
#   REAL=1 bash bench/index_bench.sh       # also batches built from ../shared/corpus files
#   SEARCH=1 bash bench/index_bench.sh     # also search latency over 1,000,000 passages
#   SKIP_DEMO=1 REAL=1 bash bench/index_bench.sh   # only the real-world section
#   BASE_BIN=/path/to/older/tenderscope ...         # sections 1 and 5 also with that build,
#                                                   # in the same run, as a ratio
#   TENDERSCOPE_TESSERACT=/nonexistent SKIP_DEMO=1 REAL=1 bash bench/index_bench.sh
#                                                   # without OCR: scanned pages are reported
#                                                   # unread, as before OCR was added
#
# Reports, each from a fresh index folder unless said otherwise:
#   1. ingest throughput, pages per second end to end (process start to commit), --jobs 1 and 2;
#   2. peak memory of an ingest of a small and a large batch: the largest single process
#      (/usr/bin/time %M: the ingest process or one extraction worker) and the whole process
#      tree (ingest + workers, sampled every 0.1 s from ps);
#   3. re-index with no change (goal: under 2 s for 10,000 files);
#   4. re-index after a rule change against the full ingest of the same batch (goal: 10x).
#   6. (SEARCH=1) search latency p50/p95 over 1,000,000 passages: the lead's
#      examples/search_bench.rs, through tenderscope::search::search.
# The machine is shared: run it when it is quiet, and read the figures as one sample.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}

if [ "${QUICK:-0}" = 1 ]; then
  THROUGHPUT=${THROUGHPUT:-100}; RSS_SMALL=${RSS_SMALL:-100}; RSS_LARGE=${RSS_LARGE:-400}
  REINDEX=${REINDEX:-1000}; PASSAGES=${PASSAGES:-100000}
else
  THROUGHPUT=${THROUGHPUT:-500}; RSS_SMALL=${RSS_SMALL:-500}; RSS_LARGE=${RSS_LARGE:-2000}
  REINDEX=${REINDEX:-10000}; PASSAGES=${PASSAGES:-1000000}
fi
FILES_PER_SUPPLIER=10

command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian package time)" >&2; exit 2; }

cargo build --release --quiet --bin tenderscope --example make_batch
# `--jobs 1` runs are pinned to one CPU (its extraction workers too, which inherit it), so that
# "pages a second on one core" is one core: unpinned, the workers and the classifying process
# would share both. ONE_CPU=0 leaves them unpinned.
pin_for() { # jobs
  if [ "$1" = 1 ] && [ "${ONE_CPU:-1}" = 1 ] && command -v taskset >/dev/null; then
    echo "taskset -c 0"
  fi
}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
# Private copies: a build directory shared with other checkouts may be rebuilt mid-run.
mkdir -p "$work/bin"
cp "$CARGO_TARGET_DIR/release/tenderscope" "$CARGO_TARGET_DIR/release/examples/make_batch" "$work/bin/"
BIN="$work/bin/tenderscope"
"$BIN" show --help >/dev/null   # the build is this checkout's

# Two rule sets that differ in one pattern (a rule change).
cp -r rules "$work/rules-a"
cp -r rules "$work/rules-b"
python3 - "$work/rules-b/themes.toml" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
anchor = "  '\\bemployability\\b',\n"
assert anchor in s, "themes.toml: anchor for the rule change not found"
open(p, "w").write(s.replace(anchor, anchor + "  '\\bscope\\b',\n", 1))
EOF

batch() { # batch NAME FILES -> path of a generated batch
  local dir="$work/batch-$1"
  [ -d "$dir" ] || "$work/bin/make_batch" "$dir" --suppliers $(( $2 / FILES_PER_SUPPLIER )) \
    --files "$FILES_PER_SUPPLIER" 2>/dev/null
  echo "$dir"
}

# Sum of RSS (kB) of a process and all its descendants.
tree_rss() {
  ps -eo pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      total = 0
      for (p in rss) { q = p; for (d = 0; d < 64 && q != "" && q != 0; d++) {
        if (q == root) { total += rss[p]; break } q = parent[q] } }
      print total
    }'
}

# run_ingest LABEL OUTJSON ARGS...: runs `tenderscope ingest ARGS --json`; sets SECS, RSS (kB,
# the largest single process) and TREE (kB, peak of the process tree) and leaves the summary
# in OUTJSON.
run_ingest() {
  local label=$1 out=$2; shift 2
  # shellcheck disable=SC2086 # PIN_CMD is a command and its arguments, or nothing
  /usr/bin/time -f "%e %M" -o "$work/time.$label" ${PIN_CMD:-} "${RUN_BIN:-$BIN}" ingest "$@" --json >"$out" 2>"$work/err.$label" &
  local pid=$! peak=0 now
  while kill -0 "$pid" 2>/dev/null; do
    now=$(tree_rss "$pid")
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.1
  done
  local rc=0; wait "$pid" || rc=$?
  if [ "$rc" -gt 1 ]; then echo "ingest ($label) failed with exit $rc:" >&2; cat "$work/err.$label" >&2; exit 1; fi
  read -r SECS RSS < <(tail -1 "$work/time.$label")
  TREE=$peak
}

field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
# Where a run's time went, from its summary's `stages` (seconds; extraction of one chunk
# overlaps classifying the one before, so they add up to more than the run).
stages() { python3 -c "
import json,sys
s = json.load(open(sys.argv[1])).get('stages') or {}
print('      stages: ' + ', '.join(f'{k} {v:.1f} s' for k, v in s.items()) if s else '      stages: (not reported by this build)')
" "$1"; }
calc() { python3 -c "print(format($1, '.${2:-1}f'))"; }

echo "tenderscope $("$BIN" --version | cut -d' ' -f2), $(nproc) CPUs, $(date -u +%FT%TZ)"
# Whether scanned pages are read (OCR is most of a real batch's extraction time when they are).
ocr_program=${TENDERSCOPE_TESSERACT:-tesseract}
if command -v "$ocr_program" >/dev/null 2>&1; then
  echo "OCR: $("$ocr_program" --version 2>&1 | head -1)"
else
  echo "OCR: unavailable ($ocr_program not found): scanned pages are reported unread"
fi
echo

if [ "${SKIP_DEMO:-0}" != 1 ]; then
echo "1. Ingest throughput ($THROUGHPUT files, fresh index each run)"
b=$(batch t "$THROUGHPUT")
for which in this ${BASE_BIN:+base}; do
  if [ "$which" = base ]; then RUN_BIN=$BASE_BIN; echo "   base build ($BASE_BIN):"; else RUN_BIN=$BIN; fi
  for j in 1 2; do
    rm -rf "$work/ix-t$j"
    PIN_CMD=$(pin_for "$j"); run_ingest "t$j" "$work/t$j.json" "$b" --index "$work/ix-t$j" --jobs "$j" --rules "$work/rules-a"
    secs=$SECS
    pages=$(field "$work/t$j.json" pages); files=$(field "$work/t$j.json" files)
    echo "   --jobs $j${PIN_CMD:+ (one CPU)}: $files files, $pages pages in ${secs} s = $(calc "$pages/$secs") pages/s ($(calc "$files/$secs") files/s)"
    stages "$work/t$j.json"
    eval "tp${which}$j=$(calc "$pages/$secs" 3)"
  done
  eval "echo \"   scaling 1 -> 2 jobs: \$(calc \"\$tp${which}2/\$tp${which}1\" 2)x\""
done
if [ -n "${BASE_BIN:-}" ]; then
  echo "   this / base: --jobs 1 $(calc "$tpthis1/$tpbase1" 2)x, --jobs 2 $(calc "$tpthis2/$tpbase2" 2)x"
fi
RUN_BIN=$BIN
echo

echo "2. Peak memory of an ingest (--jobs 2, fresh index)"
for n in "$RSS_SMALL" "$RSS_LARGE"; do
  b=$(batch "m$n" "$n")
  rm -rf "$work/ix-m$n"
  run_ingest "m$n" "$work/m$n.json" "$b" --index "$work/ix-m$n" --jobs 2 --rules "$work/rules-a"
  secs=$SECS; rss=$RSS; tree=$TREE
  echo "   $n files: largest process $(calc "$rss/1024" 0) MB, process tree $(calc "$tree/1024" 0) MB (${secs} s)"
done
echo

echo "3./4. Re-index, $REINDEX files"
b=$(batch r "$REINDEX")
rm -rf "$work/ix-r"
run_ingest full "$work/full.json" "$b" --index "$work/ix-r" --jobs 2 --rules "$work/rules-a"
full=$SECS; rss=$RSS; tree=$TREE
echo "   full ingest:         ${full} s ($(field "$work/full.json" pages) pages; peak: largest process $(calc "$rss/1024" 0) MB, tree $(calc "$tree/1024" 0) MB)"
run_ingest noop "$work/noop.json" "$b" --index "$work/ix-r" --jobs 2 --rules "$work/rules-a"
noop=$SECS; rss=$RSS; tree=$TREE
echo "   no change:           ${noop} s (unchanged $(field "$work/noop.json" unchanged), extracted $(field "$work/noop.json" extracted); goal < 2 s; largest process $(calc "$rss/1024" 0) MB)"
run_ingest rule "$work/rule.json" "$b" --index "$work/ix-r" --jobs 2 --rules "$work/rules-b"
rule=$SECS; rss=$RSS; tree=$TREE
echo "   after a rule change: ${rule} s (files with passages re-classified $(field "$work/rule.json" reclassified), files only re-checked $(field "$work/rule.json" rechecked), passages re-written $(field "$work/rule.json" passages), extracted $(field "$work/rule.json" extracted); largest process $(calc "$rss/1024" 0) MB)"
echo "   $(field "$work/rule.json" rule_change)"
echo "   full / rule change:  $(calc "$full/$rule" 1)x (goal >= 10x)"
echo
fi

if [ "${REAL:-0}" = 1 ]; then
  # The demo files extract very fast (small generated PDFs), so extraction is a small part of
  # an ingest of them. The same measures on real-world files: the corpus files that extract
  # within 10 s (its hostile and broken files left out), copied as above.
  CORPUS=${CORPUS:-../shared/corpus}
  REAL_FILES=${REAL_FILES:-$([ "${QUICK:-0}" = 1 ] && echo 200 || echo 1000)}
  echo "5. Real-world files: $REAL_FILES files built from $CORPUS"
  mkdir -p "$work/real-src/corpus"
  for f in "$CORPUS"/pdf/*.pdf "$CORPUS"/docx/*.docx; do
    timeout 10 "$BIN" extract --in-process -j1 "$f" >/dev/null 2>&1 || continue
    ln -s "$(realpath "$f")" "$work/real-src/corpus/$(basename "$f")"
  done
  echo "   $(ls "$work/real-src/corpus" | wc -l) usable corpus files"
  b="$work/batch-real"
  "$work/bin/make_batch" "$b" --suppliers $(( REAL_FILES / FILES_PER_SUPPLIER )) \
    --files "$FILES_PER_SUPPLIER" --from "$work/real-src" 2>/dev/null
  # The base build first, so that this build's --jobs 2 index is left for the re-index below.
  for which in ${BASE_BIN:+base} this; do
    if [ "$which" = base ]; then RUN_BIN=$BASE_BIN; echo "   base build ($BASE_BIN):"; else RUN_BIN=$BIN; echo "   this build:"; fi
    for j in 1 2; do
      rm -rf "$work/ix-real$j"
      PIN_CMD=$(pin_for "$j"); run_ingest "real$j" "$work/real$j.json" "$b" --index "$work/ix-real$j" --jobs "$j" --rules "$work/rules-a"
      pages=$(field "$work/real$j.json" pages)
      eval "real${which}$j=$(calc "$pages/$SECS" 3)"
      [ "$which$j" = this2 ] && real2=$SECS
      echo "   full ingest --jobs $j${PIN_CMD:+ (one CPU: $PIN_CMD)}: $SECS s, $pages pages = $(calc "$pages/$SECS") pages/s (failed $(field "$work/real$j.json" failed); largest process $(calc "$RSS/1024" 0) MB, tree $(calc "$TREE/1024" 0) MB)"
      stages "$work/real$j.json"
    done
    eval "echo \"   scaling 1 -> 2 jobs: \$(calc \"\$real${which}2/\$real${which}1\" 2)x\""
  done
  if [ -n "${BASE_BIN:-}" ]; then
    echo "   this / base: --jobs 1 $(calc "$realthis1/$realbase1" 2)x, --jobs 2 $(calc "$realthis2/$realbase2" 2)x"
  fi
  RUN_BIN=$BIN
  run_ingest realnoop "$work/realnoop.json" "$b" --index "$work/ix-real2" --jobs 2 --rules "$work/rules-a"
  echo "   no change:           $SECS s"
  run_ingest realrule "$work/realrule.json" "$b" --index "$work/ix-real2" --jobs 2 --rules "$work/rules-b"
  echo "   after a rule change: $SECS s (files with passages re-classified $(field "$work/realrule.json" reclassified), only re-checked $(field "$work/realrule.json" rechecked), passages re-written $(field "$work/realrule.json" passages), extracted $(field "$work/realrule.json" extracted))"
  echo "   full / rule change:  $(calc "$real2/$SECS" 1)x (goal >= 10x)"
  echo
fi

if [ "${SEARCH:-0}" = 1 ]; then
  echo "6. Search latency over $PASSAGES passages (examples/search_bench.rs)"
  cargo build --release --quiet --example search_bench
  "$CARGO_TARGET_DIR/release/examples/search_bench" --passages "$PASSAGES" --index "$work/ix-search"
else
  echo "6. Search latency: run with SEARCH=1 (examples/search_bench.rs over $PASSAGES passages)"
fi
