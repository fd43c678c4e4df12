#!/usr/bin/env bash
# Builds the fixture blog into OUT (default tests/blog/_site) the way a blog would use glossa:
# Eleventy renders the posts, the npm package goes to /glossa/, `glossa index` prebuilds one
# index of every post from the built pages, and `glossa annotate --html` marks the terms in
# them so they show before any script runs.
# GLOSSA_BLOG_WIDGET_ONLY=1 leaves out both glossa steps (see eleventy.config.mjs).
# Needs: scripts/pack.sh run (target/npm/glossa) and the glossa binary (GLOSSA, or built here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$here/_site}")
glossa=${GLOSSA:-}
if [ -z "$glossa" ]; then
  cargo build --quiet --manifest-path "$root/Cargo.toml" --bin glossa
  glossa="$root/target/debug/glossa"
fi
"$root/scripts/pack.sh" 2>/dev/null   # quick when nothing changed

rm -rf "$out"
(cd "$here" && "$root/node_modules/.bin/eleventy" --quiet --output="$out")
mkdir -p "$out/glossa"
cp -r "$root/target/npm/glossa/." "$out/glossa/"
[ -z "${GLOSSA_BLOG_WIDGET_ONLY:-}" ] || exit 0
"$glossa" index -o "$out/glossa/blog.glossa" --glossary "$root/content/glossary.json" \
  --site-root "$out" "$out/posts"
"$glossa" annotate --html --in-place --glossary "$root/content/glossary.json" "$out/posts"
