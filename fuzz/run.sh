#!/usr/bin/env bash
# Seed the corpora, then fuzz each target in turn for a time budget and print, per target,
# libFuzzer's executions, the wall seconds and the crashes, hangs and out-of-memory inputs it
# found (the files libFuzzer writes to fuzz/artifacts/<target>/ during this run).
#
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET[=SECONDS]...]
#   fuzz/run.sh                      60 s each for pdf, docx, rules, query, formats, rtf, doc
#   fuzz/run.sh 480 pdf=1200 docx=1200 rules query
#
# One job at a time (the targets run one after another, one process each), with
# -rss_limit_mb=2048 (and so a 2 GiB malloc limit) and -timeout=10 (seconds per input).
# libFuzzer stops a target at its first failing input; the run goes on with the next target.
# fuzz/dict/<target>.dict, when present, is passed as -dict; FUZZ_ARGS adds libFuzzer flags
# (for example FUZZ_ARGS=-max_len=65536).
# Needs the nightly toolchain and cargo-fuzz. Logs: fuzz/target/run-logs/<target>.log.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

default="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pdf docx rules query formats rtf doc)

"$here/seed.sh" >/dev/null || {
    echo "seeding failed" >&2
    exit 2
}

names=()
for t in "${targets[@]}"; do names+=("${t%%=*}"); done
echo "building: ${names[*]}" >&2
for n in "${names[@]}"; do
    cargo +nightly fuzz build -O "$n" >&2 || {
        echo "build of $n failed" >&2
        exit 2
    }
done

logs="$here/target/run-logs"
mkdir -p "$logs"
status=0
printf '%-6s %14s %8s %8s %6s %5s %6s  %s\n' target executions seconds exec/s crash hang oom note
for t in "${targets[@]}"; do
    name="${t%%=*}"
    secs="$default"
    [ "$t" = "$name" ] || secs="${t#*=}"
    artifacts="$here/artifacts/$name"
    mkdir -p "$artifacts"
    before="$(mktemp)"
    ls "$artifacts" >"$before"
    log="$logs/$name.log"
    # The query target builds its small index here; removed afterwards.
    index="$(mktemp -d)"
    extra=()
    [ -f "$here/dict/$name.dict" ] && extra+=("-dict=$here/dict/$name.dict")
    # shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags
    extra+=(${FUZZ_ARGS:-})
    start=$(date +%s)
    TENDERSCOPE_FUZZ_INDEX="$index" cargo +nightly fuzz run -O "$name" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        "${extra[@]}" >"$log" 2>&1
    rc=$?
    end=$(date +%s)
    rm -rf "$index"
    elapsed=$((end - start))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    [ -n "$execs" ] || execs=0
    new="$(ls "$artifacts" | grep -vxF -f "$before" || true)"
    rm -f "$before"
    crash=$(grep -c '^crash-' <<<"$new")
    hang=$(grep -c '^timeout-' <<<"$new")
    oom=$(grep -c '^oom-' <<<"$new")
    note=""
    [ "$rc" -eq 0 ] || note="exit $rc, see $log"
    for f in $new; do note="$note artifacts/$name/$f"; done
    rate=0
    [ "$elapsed" -le 0 ] || rate=$((execs / elapsed))
    printf '%-6s %14s %8s %8s %6s %5s %6s  %s\n' \
        "$name" "$execs" "$elapsed" "$rate" "$crash" "$hang" "$oom" "$note"
    [ "$rc" -eq 0 ] || status=1
done
exit "$status"
