#!/usr/bin/env bash
# Builds the npm package `glossa` into target/npm/glossa/ and packs it into
# target/npm/glossa-VERSION.tgz: the widget's modules (unbundled, so bundlers share them),
# the two wasm cores with their glue and declarations, glossa.css, the TypeScript
# declarations, README and licence. Prints what a page downloads, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
package_version=$(node -p 'require("./npm/package.json").version')
if [ "$version" != "$package_version" ]; then
  echo "pack: npm/package.json is at $package_version but Cargo.toml at $version; keep them in step" >&2
  exit 1
fi

# Rebuild unless the cores are newer than every source they come from.
# The .gz files are written last: each must be newer than its wasm.
wasm=www/dist/core-intl/glossa_core_bg.wasm
if [ ! -f www/dist/core/glossa_core_bg.wasm ] || [ ! -f "$wasm" ] \
   || [ ! www/dist/core/glossa_core_bg.wasm.gz -nt www/dist/core/glossa_core_bg.wasm ] \
   || [ ! "$wasm.gz" -nt "$wasm" ] \
   || [ -n "$(find src Cargo.toml Cargo.lock scripts/build.sh scripts/short-imports.mjs scripts/merge-data.mjs scripts/wasm-bytes.mjs scripts/precompress.mjs -newer "$wasm" -print -quit)" ]; then
  scripts/build.sh
fi

out=target/npm/glossa
rm -rf "$out" && mkdir -p "$out"
cp www/src/*.js "$out/"
cp -r www/dist/core www/dist/core-intl "$out/"
cp npm/*.js npm/package.json npm/README.md LICENSE "$out/"
cp -r npm/types "$out/"
# The marks' page styles, for pages marked at build time that show them before the script.
node --input-type=module -e '
  const { PAGE_CSS } = await import(process.argv[1]);
  process.stdout.write("/* glossa: styles of <glossa-term> marks (the widget adopts the same sheet). */" + PAGE_CSS);
' "$PWD/www/src/styles.js" > "$out/glossa.css"

(cd target/npm && npm pack ./glossa --silent --pack-destination . >/dev/null)
tarball="target/npm/glossa-$version.tgz"

size() { printf '%-34s %9s B raw %9s B gzip\n' "$1" "$(wc -c <"$2")" "$(gzip -9c "$2" | wc -c)"; }
{
  echo "package: $tarball ($(wc -c <"$tarball") B)"
  size "core/glossa_core_bg.wasm" "$out/core/glossa_core_bg.wasm"
  size "core-intl/glossa_core_bg.wasm" "$out/core-intl/glossa_core_bg.wasm"
  # What the widget fetches: the wasm gzipped by Zopfli (scripts/precompress.mjs).
  for f in core/glossa_core_bg.wasm.gz core-intl/glossa_core_bg.wasm.gz; do
    printf '%-34s %9s B as fetched\n' "$f" "$(wc -c <"$out/$f")"
  done
  size "core/glossa_core.js (glue)" "$out/core/glossa_core.js"
  cat "$out"/{glossa,elements,engine,core-loader,reader,search,index-element,popover,mark,reveal,styles}.js > "$out/.all.js"
  size "widget modules (all, unminified)" "$out/.all.js"
  rm "$out/.all.js"
  size "glossa.css" "$out/glossa.css"
} >&2
