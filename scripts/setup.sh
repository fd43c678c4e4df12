#!/usr/bin/env bash
# Installs what building (and, with --test, testing) glossa needs, skipping what is present:
# the rustfmt, clippy and rust-src components, the wasm32 target, wasm-pack, wasm-bindgen-cli
# at the Cargo.lock version, the npm dev dependencies (a current wasm-opt, playwright-core),
# and for tests Chromium + ChromeDriver, Firefox ESR + geckodriver.
# Nothing here downloads a browser or a prebuilt binary: only crates.io, npm and Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=false
apt_install() {
  if ! $apt_updated; then
    say "apt-get update"
    as_root apt-get update -qq
    apt_updated=true
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || { say "cargo is missing: install Rust with rustup first"; exit 1; }

# rust-src: the browser build compiles the standard library itself (scripts/build.sh).
for component in rustfmt clippy rust-src; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-pack would download wasm-bindgen-cli; building it from crates.io at exactly the
# version Cargo.lock pins keeps the generated glue and the library in step.
[ -f Cargo.lock ] || cargo generate-lockfile
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  cargo install -q wasm-bindgen-cli --version "=$bindgen_version" --force
fi
if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (a few minutes, once)"
  cargo install -q wasm-pack
fi
# Debian's binaryen (108) breaks wasm-bindgen's externref table; npm's binaryen is current.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing npm dev dependencies (binaryen, esbuild, zopfli, playwright-core, axe-core, vite, typescript, eleventy)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if $with_tests; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || command -v firefox >/dev/null || missing+=(firefox-esr)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  if ! command -v geckodriver >/dev/null; then
    say "installing geckodriver (a few minutes, once)"
    cargo install -q geckodriver
  fi
fi

# For the fuzz smoke run in scripts/test.sh (scripts/fuzz.sh): it builds on stable.
if $with_tests && ! command -v cargo-fuzz >/dev/null; then
  say "installing cargo-fuzz (a minute or two, once)"
  cargo install -q cargo-fuzz
fi
