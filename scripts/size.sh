#!/usr/bin/env bash
# Prints what the browser downloads for the widget on an English page (wasm, glue, widget
# modules with their CSS; raw and gzip -9, each file on its own, the wasm as its Zopfli .gz)
# and, with --check, fails when the gzip total is over the budget. The budget is today's size
# plus a little: it catches regressions; issue #4 lowers it as the size work lands.
set -euo pipefail
cd "$(dirname "$0")/.."
# 108 kB since issue #4's third round: search speed (typo filter, hit placement, one decode per
# search) and start-up (entries as JSON) took back about 2 kB of the size work's savings.
# 110.5 kB since index format 2 (text as span and gap ids, postings rebuilt on loading): 3.0 kB
# of wasm for a prebuilt index half the size gzipped (4.77 → 2.25 MB in bash bench/run.sh),
# and 0.3 kB for skip points in postings (phrase p50 185 → 63 µs, examples/brown --fastest).
# 105.3 kB since our own UAX #29 word breaker replaced unicode-segmentation (−5.3 kB).
# 95.6 kB since the standard library is compiled with the core, panics trapping at once (−9.6 kB).
# 94.5 kB since the fold and lower-case tables are LEB128 streams (−1.1 kB).
# 94.0 kB since the tokenizer's word cache is keyed by the words' bytes (−0.6 kB).
# 89.9 kB since rustc-hash replaced foldhash (−1.3 kB) and the English core left out toBytes (−2.8 kB).
# 89.4 kB since wasm-opt flattens and re-loops the control flow before -Oz (−0.6 kB).
# 89.1 kB since the widget's stylesheets are minified as CSS when bundled (−0.3 kB).
# 88.9 kB since JSON error columns are counted without a UTF-8 decoder (−0.2 kB).
# 88.4 kB since LLVM inlines calls costing up to 20 rather than 5 (−0.5 kB).
# 86.95 kB since the wasm's imports have short names (scripts/short-imports.mjs, −1.4 kB).
# 83.1 kB since the wasm is fetched as a Zopfli .gz, inflated in the page (−4.05 kB for the
# wasm, +0.22 kB for the loader in glossa.js).
# 80.05 kB since wasm-opt inlines only small functions that have one caller (−3.1 kB).
# 79.85 kB since Zopfli splits the wasm into deflate blocks without a cap (−0.18 kB).
# 79.95 kB since the import module is named after a hash and the fallback says why (+0.1 kB).
# 80.0 kB since the npm package's ready() shares the widget's loader, which fetches lazily (+0.06 kB).
# 74.5 kB since #4's thirteenth round (79,993 → 74,430 B): no target-features section (−0.12
# kB), messages built without core::fmt (−1.0), hash maps of types the crate already has or
# sorted vectors instead (−1.5), alphanumeric and lower-case tests from the crate's own
# tables (−1.7), one JSON parser instead of walking JS values (−0.5 with the glue), two
# obscure blocks left out of the fold table (−0.5), entries parsed from JSON (−0.2),
# wasm-bindgen's string conversion (−0.35), and a pass over the widget's JS (−0.24).
# 75.1 kB since the review mends: the glossary matcher's map back (its sorted vector grew
# quadratically, +0.31 kB) and JS values refused as before the JSON boundary (+0.14 kB glue).
# 72.4 kB since #4's fourteenth round (75,038 -> 72,314 B): the English glue bundled into
# glossa.js (-0.38 kB), no reference types (-0.36), one data segment (-0.26), depth refusals
# by line and column and search's weight maps as sorted vectors (-1.31 together), and a
# pass over the widget's JS (-0.42).
# 72.7 kB since its review mends (72,602 B): a prefix's best weights per term in an array
# kept zeroed between searches, where sorting was slower and a fresh array per keystroke
# costs in proportion to the index (+0.27), and the widget naming its plain wasm (+0.01).
BUDGET_GZIP=${BUDGET_GZIP:-72700}
total=0
printf '%-40s %10s %10s\n' file raw gzip
# The wasm is fetched as the .gz file that scripts/precompress.mjs writes, and counted as it is.
# The English core's glue is bundled into glossa.js; its own file serves pages that use the
# core API without the widget.
for f in www/dist/core/glossa_core_bg.wasm.gz www/dist/*.js; do
  case "$f" in
    *.gz) raw=$(gzip -dc "$f" | wc -c); gz=$(wc -c < "$f") ;;
    *) raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c) ;;
  esac
  total=$((total + gz))
  printf '%-40s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-40s %10s %10d (budget %d)\n' total "" "$total" "$BUDGET_GZIP"
f=www/dist/core/glossa_core.js
printf '%-40s %10d %10d (the core API alone, with the wasm: not counted)\n' "$f" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"
# Loaded instead of core/ only by pages in another language than English.
f=www/dist/core-intl/glossa_core_bg.wasm.gz
if [ -f "$f" ]; then
  printf '%-40s %10d %10d (other languages, instead of core/)\n' "$f" "$(gzip -dc "$f" | wc -c)" "$(wc -c < "$f")"
fi
# For hosts that compress with brotli: the plain wasm at the levels used on the fly (4, 5)
# and ahead of time (11), by Node's zlib. Not counted: the widget fetches the .gz.
node -e '
  const z = require("zlib"), wasm = require("fs").readFileSync(process.argv[1]);
  const br = (q) => z.brotliCompressSync(wasm, { params: { [z.constants.BROTLI_PARAM_QUALITY]: q } }).length;
  console.log(`plain wasm, brotli 4 / 5 / 11: ${br(4)} / ${br(5)} / ${br(11)} B (not counted)`);
' www/dist/core/glossa_core_bg.wasm
if [ "${1:-}" = "--check" ] && [ "$total" -gt "$BUDGET_GZIP" ]; then
  echo "size: the bundle is over its budget by $((total - BUDGET_GZIP)) bytes gzipped" >&2
  exit 1
fi
