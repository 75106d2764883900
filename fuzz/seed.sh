#!/usr/bin/env bash
# Fill the (gitignored) fuzz/corpus/<target>/ folders with seed inputs, copied at run time:
#
#   pdf    PDFs from ../shared/corpus/pdf, fixtures/features/pdf and fixtures/demo
#   docx   DOCX files from ../shared/corpus/docx, fixtures/features/docx and fixtures/demo, and
#          a copy of each with its entries stored uncompressed
#   rules  every file of rules/, prefixed with the byte that makes the rules target put it back
#          in its own place (and a few in the wrong place)
#   formats, rtf, doc  XLSX, ODT, DOC and RTF files from ../shared/corpus
#   query  a handful of query strings in the target's `query NUL principle NUL kind` layout
#
# Only files up to SEED_MAX_BYTES (default 1 MiB) are copied: libFuzzer runs every seed at
# start-up and mutates small inputs far faster. Nothing here is committed; the corpus folders
# are rebuilt (existing entries, including ones the fuzzer added, are kept).
#
# Usage: fuzz/seed.sh            (from anywhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="$(cd "$root/.." && pwd)/shared/corpus"
# The worktree may live beside the main checkout rather than in it; fall back to /work/shared.
[ -d "$shared" ] || shared="/work/shared/corpus"
max="${SEED_MAX_BYTES:-1048576}"
out="$here/corpus"

mkdir -p "$out/pdf" "$out/docx" "$out/rules" "$out/query" "$out/formats" "$out/rtf" "$out/doc"

# copy_small DEST PREFIX FILE...: copy each regular file no larger than $max.
copy_small() {
    local dest="$1" prefix="$2"
    shift 2
    local f size n=0
    for f in "$@"; do
        [ -f "$f" ] || continue
        size=$(stat -c %s "$f")
        [ "$size" -le "$max" ] || continue
        cp -f "$f" "$dest/$prefix-$(basename "$f")"
        n=$((n + 1))
    done
    echo "  $n from $prefix"
}

echo "seeding $out (files <= $max bytes)"
shopt -s nullglob
echo "pdf:"
if [ -d "$shared/pdf" ]; then
    copy_small "$out/pdf" corpus "$shared"/pdf/*.pdf
else
    echo "  (no $shared/pdf: shared corpus not found)"
fi
copy_small "$out/pdf" feature "$root"/fixtures/features/pdf/*.pdf
copy_small "$out/pdf" demo "$root"/fixtures/demo/*/*.pdf

echo "docx:"
if [ -d "$shared/docx" ]; then
    copy_small "$out/docx" corpus "$shared"/docx/*.docx
else
    echo "  (no $shared/docx: shared corpus not found)"
fi
copy_small "$out/docx" feature "$root"/fixtures/features/docx/*.docx
copy_small "$out/docx" demo "$root"/fixtures/demo/*/*.docx
# The same packages re-written with every entry stored (not deflated), so that byte mutations
# reach the XML readers instead of breaking the deflate data. Skipped without python3.
if command -v python3 >/dev/null; then
    python3 - "$out/docx" "$max" <<'PY'
import os, sys, zipfile

folder, cap = sys.argv[1], int(sys.argv[2])
made = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith(".docx") or name.startswith("stored-"):
        continue
    try:
        with zipfile.ZipFile(os.path.join(folder, name)) as src:
            parts = [(i.filename, src.read(i)) for i in src.infolist()]
    except Exception:
        continue  # damaged or encrypted on purpose: the original seed stays
    if sum(len(data) for _, data in parts) > cap:
        continue
    with zipfile.ZipFile(os.path.join(folder, "stored-" + name), "w", zipfile.ZIP_STORED) as dst:
        for filename, data in parts:
            dst.writestr(filename, data)
    made += 1
print(f"  {made} re-stored without compression")
PY
fi

# The newer formats: the corpus's XLSX, ODT, DOC and RTF files (and small DOCX and PDF ones)
# for the sniffing target; RTF (without its `{\rtf1` header, which the target adds) and DOC
# for their own targets.
echo "formats, rtf, doc:"
for kind in xlsx odt doc rtf; do
    [ -d "$shared/$kind" ] && copy_small "$out/formats" "corpus-$kind" "$shared/$kind"/*
done
[ -d "$shared/doc" ] && copy_small "$out/doc" corpus "$shared"/doc/*.doc
if [ -d "$shared/rtf" ]; then
    for f in "$shared"/rtf/*.rtf; do
        size=$(stat -c %s "$f")
        [ "$size" -le "$max" ] || continue
        tail -c +7 "$f" >"$out/rtf/corpus-$(basename "$f")"
    done
fi

# The rules target replaces file number (first byte % 10) of a small rule set, numbered as
# `RULE_FILES` in fuzz/harness.rs; the two model files (8, 9) are optional there.
echo "rules:"
rule_files=(kinds.toml specificity.toml themes.toml measures.toml places.toml groups.toml
    frameworks/cheshire-east.toml frameworks/marmot.toml kind-model.toml principle-model.toml)
n=0
for i in "${!rule_files[@]}"; do
    f="$root/rules/${rule_files[$i]}"
    [ -f "$f" ] || continue
    name="$(basename "${rule_files[$i]}" .toml)"
    # In its own place: the loader accepts it, so the fuzzer starts from valid rule files.
    { printf "\\x$(printf %02x "$i")"; cat "$f"; } >"$out/rules/own-$name"
    # In the next file's place: a valid TOML file of the wrong role.
    j=$(((i + 1) % ${#rule_files[@]}))
    { printf "\\x$(printf %02x "$j")"; cat "$f"; } >"$out/rules/moved-$name"
    n=$((n + 2))
    # One rule per seed (with the file's preamble, which holds a framework's `[framework]`
    # table): small inputs that run in milliseconds, for the fuzzer to mutate.
    k=$(awk -v dir="$out/rules" -v name="$name" '
        BEGIN { pre = ""; cur = ""; k = 0 }
        function flush() {
            if (cur == "") return
            k++
            f = sprintf("%s/rule-%s-%03d", dir, name, k)
            printf "#%s%s", pre, cur > f
            close(f)
        }
        /^\[\[/ { flush(); cur = $0 "\n"; seen = 1; next }
        { if (seen) cur = cur $0 "\n"; else pre = pre $0 "\n" }
        END { flush(); print k }' "$f")
    # awk wrote a placeholder `#` where the pick byte goes (it cannot print a NUL portably).
    for c in "$out/rules/rule-$name-"*; do
        [ -e "$c" ] || continue
        { printf "\\x$(printf %02x "$i")"; tail -c +2 "$c"; } >"$c.tmp" && mv "$c.tmp" "$c"
    done
    n=$((n + k))
done
# The principle model's rows are read by hand when they have the trainer's shape: a short
# model for the harness's stand-in framework (`stub-a`, one principle), which then loads and
# classifies, and the shipped model's header with its first rows, which stops at the
# framework check after the rows are read.
{
    printf '\x09'
    printf '[model]\nframework = "stub-a"\nprinciples = ["A1"]\nbias = [-1.5]\n'
    printf 'threshold = 0.7\nadd_threshold = 0.9\n\n[weights]\n'
    printf '"w=apprenticeships" = { A1 = 2.5 }\n"b=<num> apprenticeships" = { A1 = 0.75 }\n'
    printf '"w=crewe" = { A1 = -0.125 }\n'
} >"$out/rules/model-stub"
{ printf '\x09'; head -n 60 "$root/rules/principle-model.toml"; } >"$out/rules/model-head"
n=$((n + 2))
echo "  $n from rules/"

echo "query:"
n=0
# q QUERY [PRINCIPLE [KIND]]: one seed, fields separated by NUL as the query target splits them.
q() {
    n=$((n + 1))
    local file="$out/query/seed-$n"
    printf '%s' "$1" >"$file"
    if [ $# -ge 2 ]; then printf '\0%s' "$2" >>"$file"; fi
    if [ $# -ge 3 ]; then printf '\0%s' "$3" >>"$file"; fi
}
q "apprenticeships"
q "apprentices Crewe" "CE9"
q '"Real Living Wage"' "" "commitment"
q "carbon OR emissions" "CE9" "aspiration"
q "wage AND NOT carbon"
q "+living -carbon"
q "(apprentice* OR wage) AND supplier:acme"
q "text:apprentic text_exact:Crewe section:intro"
q "principle:CE9 kind:commitment theme:skills"
q '"create 12"~3'
q "sha256:abc tender:t1 rule:r1"
q "wage^2 carbon^0.5"
q "title:[a TO z]"
q "page:>10"
q ""
q "   "
echo "  $n query strings"
