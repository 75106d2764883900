#!/usr/bin/env bash
# Extraction speed and memory against the reference tools, in the same run.
#
#   bash bench/extract_speed.sh            # PDFs and DOCX from ../shared/corpus
#
# PDF: pages per second on one core, tenderscope (one process, --in-process -j1, and with its
# watchdog worker) against pdftotext (poppler, one process per file, as it is used).
# DOCX: files per second, tenderscope against pandoc -t plain.
# Memory: peak RSS of extracting the corpus's 619-page PDF.
# The reference tools come from Debian (poppler-utils, pandoc); the script installs them when
# it runs as root and they are missing. Figures are ratios measured in the same run: the machine
# is shared and noisy, so compare the ratio, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/corpus}
ROUNDS=${ROUNDS:-3}

need() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "missing $1 (Debian package $2)" >&2; exit 2
  fi
}
need pdftotext poppler-utils
need pandoc pandoc
need bc bc

cargo build --release --quiet
BIN=target/release/tenderscope
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# The PDFs both tools read within 10 s (the decompression bomb and the broken files are left
# out, so that both sides do the same work).
: > "$tmp/pdfs"
for f in "$CORPUS"/pdf/*.pdf; do
  timeout 10 pdftotext -q "$f" /dev/null 2>/dev/null || continue
  timeout 10 "$BIN" extract --in-process -j1 "$f" >/dev/null 2>&1 || continue
  echo "$f" >> "$tmp/pdfs"
done
mapfile -t pdfs < "$tmp/pdfs"
pages=$("$BIN" extract --in-process --format json "${pdfs[@]}" 2>/dev/null | grep -o '"pages":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
echo "PDF: ${#pdfs[@]} files, $pages pages, best of $ROUNDS rounds"

best() { sort -g | head -1; }
for r in $(seq "$ROUNDS"); do
  t0=$(now); "$BIN" extract --in-process -j1 "${pdfs[@]}" >/dev/null 2>&1; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$tmp/ours"
  t0=$(now); "$BIN" extract -j1 "${pdfs[@]}" >/dev/null 2>&1 || true; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$tmp/ours_iso"
  t0=$(now); for f in "${pdfs[@]}"; do pdftotext -q "$f" - >/dev/null 2>&1 || true; done; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$tmp/poppler"
done
o=$(best < "$tmp/ours"); oi=$(best < "$tmp/ours_iso"); p=$(best < "$tmp/poppler")
printf '  tenderscope in-process : %7.2f s  %8.1f pages/s\n' "$o" "$(echo "$pages / $o" | bc -l)"
printf '  tenderscope workers    : %7.2f s  %8.1f pages/s\n' "$oi" "$(echo "$pages / $oi" | bc -l)"
printf '  pdftotext              : %7.2f s  %8.1f pages/s\n' "$p" "$(echo "$pages / $p" | bc -l)"
printf '  ratio (in-process / pdftotext): %.2fx; (workers / pdftotext): %.2fx\n' \
  "$(echo "$p / $o" | bc -l)" "$(echo "$p / $oi" | bc -l)"

# DOCX: the files pandoc reads.
: > "$tmp/docx"
for f in "$CORPUS"/docx/*.docx; do
  timeout 20 pandoc -t plain "$f" -o /dev/null 2>/dev/null || continue
  echo "$f" >> "$tmp/docx"
done
mapfile -t docx < "$tmp/docx"
for r in $(seq "$ROUNDS"); do
  t0=$(now); "$BIN" extract --in-process -j1 "${docx[@]}" >/dev/null 2>&1 || true; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$tmp/dours"
  t0=$(now); for f in "${docx[@]}"; do pandoc -t plain "$f" -o /dev/null 2>/dev/null || true; done; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$tmp/dpandoc"
done
o=$(best < "$tmp/dours"); p=$(best < "$tmp/dpandoc")
echo "DOCX: ${#docx[@]} files, best of $ROUNDS rounds"
printf '  tenderscope in-process : %7.3f s  %8.1f files/s\n' "$o" "$(echo "${#docx[@]} / $o" | bc -l)"
printf '  pandoc -t plain        : %7.3f s  %8.1f files/s\n' "$p" "$(echo "${#docx[@]} / $p" | bc -l)"
printf '  ratio: %.1fx\n' "$(echo "$p / $o" | bc -l)"

big="$CORPUS/pdf/unstructured__example-docs_pdf_DA-619p.pdf"
if [ -f "$big" ]; then
  /usr/bin/time -f '%M' -o "$tmp/rss" "$BIN" extract --in-process -j1 "$big" >/dev/null 2>&1 || true
  echo "Memory: peak RSS extracting the 619-page PDF: $(( $(cat "$tmp/rss") / 1024 )) MB"
fi
