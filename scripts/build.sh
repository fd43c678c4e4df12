#!/usr/bin/env bash
# Builds the browser bundle into www/dist/: glossa.js (the entry a page loads) and the other
# widget modules, the wasm core and its JS glue (size-tuned `wasm` profile, wasm-opt -Oz),
# and the demo content (articles, glossary).
set -euo pipefail
cd "$(dirname "$0")/.."
# node_modules/.bin first: wasm-pack then runs npm's current wasm-opt, not an older one.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The standard library is compiled with the core, for size, from the toolchain's own sources
# (the rust-src component): with panics that trap at once (`immediate-abort`), without
# formatting a message and without file and line strings (`location-detail=none`). The
# message went nowhere anyway: a panic in wasm32-unknown-unknown was already a trap, as no
# panic hook is set and the core is written not to panic. It takes 9.6 kB off the gzipped
# English core (90.2 → 80.5 kB), mostly core::fmt and the panic machinery, which
# rust-stemmers' string slicing otherwise keeps. These are unstable options, and
# RUSTC_BOOTSTRAP=1 lets the stable toolchain take them, as in scripts/fuzz.sh; they are set
# for the two core builds only. `-Cpanic=immediate-abort` came with Rust 1.92, and an
# unstable option may change its spelling in a later release: hence the version check. The
# tests build the core the ordinary way; the end-to-end tests run this build.
rustc_minor=$(rustc --version | awk '{ split($2, v, "."); print v[2] }')
if [ "${rustc_minor:-0}" -lt 92 ]; then
  echo "build: the browser build needs Rust 1.92 or newer ($(rustc --version)); run: rustup update stable" >&2
  exit 1
fi
# LLVM's inliner at opt-level "z" inlines a call only when that costs at most 5; at 20 it
# inlines somewhat more, and the cores come out smaller after wasm-opt (English: 0.55 kB less
# gzip, 74,341 → 73,796 B by scripts/size.sh; other languages 0.34 kB) and no slower: four
# runs each of `node bench/run.mjs --engines glossa --sizes 500`, alternated with the cores
# built without it, had index builds of 374-391 against 393-405 ms, tokenising 103-107
# against 96-99 MB/s, annotation 70-76 against 69-73 MB/s, and p95 215-250 against
# 225-230 µs. Other thresholds, each tried on the English core built as here, with plain
# wasm-opt -Oz and gzip -9 of the wasm (a scratch loop, not kept): 18 to 25 all gave 0.5 to
# 0.6 kB; 0, 10, 15, 30, 35 and 40 gave less, 50 grew the core.
#
# Without the reference-types feature (on by default since Rust 1.82), wasm-bindgen's glue
# keeps the JS values the core holds in an array of its own rather than in a table the wasm
# manages: 0.36 kB less for the English widget by scripts/size.sh (74,660 → 74,301 B), the
# table's allocator leaving the wasm. tests/e2e/resources.test.mjs counts that array.
build_core() {
  RUSTC_BOOTSTRAP=1 \
  RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Cllvm-args=-inline-threshold=20 -Ctarget-feature=-reference-types" \
    wasm-pack build . --profile wasm --target web --out-dir "$1" --out-name glossa_core --no-pack \
    -- -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "${@:2}" >&2
}

# core/: English stemming only, what nearly every page loads. core-intl/: every stemmer.
# A .gz left from an earlier build must not outlive a failed one.
rm -f www/dist/core/glossa_core_bg.wasm.gz www/dist/core-intl/glossa_core_bg.wasm.gz
build_core www/dist/core --no-default-features
build_core www/dist/core-intl
rm -f www/dist/core/.gitignore www/dist/core-intl/.gitignore
# The widget: glossa.js, the one module a page loads, bundled and minified so the browser
# fetches no chain of imports, the English core's JS glue included; the wasm cores stay
# separate (loaded on demand, relative to it). Each core's glue is also bundled and minified
# in place, for pages that use the core API alone. Each file starts with V8's explicit compile hint
# (Chrome 136+): most of their functions run as the page starts, and compiled eagerly, off
# the main thread while the file streams in, they are not compiled one at a time on the main
# thread at their first call. On the demo, between glossa.js starting and both readers being
# ready, that was 103 compiles and 12 to 30 ms of the main thread (traces of 5 first visits
# on the busy 2-core machine); with the hint, 2 compiles.
rm -f www/dist/*.js
hint='//# allFunctionsCalledOnLoad'
# The glue is bundled with its snippets (the JS of the core's inline_js imports), so it
# stays one file to fetch.
for core in www/dist/core www/dist/core-intl; do
  esbuild "$core/glossa_core.js" --bundle --minify --target=es2022 --format=esm \
    --banner:js="$hint" --outfile="$core/glossa_core.js" --allow-overwrite --log-level=warning
  rm -rf "$core/snippets"
  node scripts/short-imports.mjs "$core"
  node scripts/merge-data.mjs "$core"
done
# After the glue: glossa.js has the English core's glue bundled in (see scripts/bundle.mjs).
node scripts/bundle.mjs "$hint"
node scripts/precompress.mjs www/dist/core www/dist/core-intl
mkdir -p www/dist/content
cp content/glossary.json content/articles/*.json www/dist/content/
