#!/usr/bin/env bash
# The browser benchmark (issue #4): glossa against MiniSearch, FlexSearch, Lunr, Orama, Fuse.js
# and Pagefind in headless Chromium over the Brown corpus. Writes bench/results/<UTC time>.json
# and regenerates BENCHMARKS.md and bench/chart.svg (a --quick smoke run writes its report to
# bench/build/BENCHMARKS.quick.md instead).
#
#   bash bench/run.sh [--quick]
#
# Installs what is missing and skips what is present: the benchmark's npm packages in
# bench/node_modules (npm ci), the repository's dev tools and Debian's Chromium (as
# scripts/setup.sh does), and the wasm build (scripts/build.sh) when www/dist/ is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
say() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

quick=()
report=()
case "${1:-}" in
  --quick) quick=(--quick); report=(--out bench/build/BENCHMARKS.quick.md --chart bench/build/chart.quick.svg) ;;
  "") ;;
  *) echo "usage: bash bench/run.sh [--quick]" >&2; exit 2 ;;
esac

command -v node >/dev/null && command -v npm >/dev/null || { say "Node.js and npm are needed"; exit 1; }

# The benchmark's own packages (corpus, peers, Pagefind's CLI, esbuild), pinned by its lock file.
if [ ! -f bench/node_modules/.package-lock.json ] \
   || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ] \
   || [ bench/package.json -nt bench/node_modules/.package-lock.json ]; then
  say "installing bench/ npm packages (npm ci)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

# playwright-core (and wasm-opt for the build) come from the repository's own dev dependencies.
if [ ! -d node_modules/playwright-core ] || { [ ! -d www/dist/core ] && ! command -v wasm-pack >/dev/null; }; then
  say "installing the repository's dev tools (scripts/setup.sh)"
  bash scripts/setup.sh
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  say "installing Debian's chromium"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f www/dist/core/glossa_core.js ] || [ ! -f www/dist/glossa.js ]; then
  say "building glossa (scripts/build.sh)"
  bash scripts/build.sh
fi

# Inputs, each regenerated only when what it comes from is newer.
newer() {
  local out=$1 f
  shift
  [ -e "$out" ] || return 0
  for f in "$@"; do [ "$f" -nt "$out" ] && return 0; done
  return 1
}
if newer bench/build/corpus/stats.json bench/corpus.mjs bench/node_modules/.package-lock.json; then
  say "corpus"
  node bench/corpus.mjs
fi
node bench/queries.mjs   # deterministic: rewrites bench/queries.json only if it would change
if newer bench/build/glossary-1000.json bench/glossary.mjs bench/build/corpus/stats.json www/dist/core/glossa_core_bg.wasm; then
  say "glossary"
  node bench/glossary.mjs
fi
if [ ${#quick[@]} -gt 0 ]; then sizes=50; else sizes=50,500,2000; fi
node bench/prepare.mjs --sizes "$sizes"

say "running the engines in headless Chromium"
results=$(node bench/run.mjs "${quick[@]}")
node bench/report.mjs "$results" "${report[@]}"
say "done in $(( $(date +%s) - start )) s: $results"
