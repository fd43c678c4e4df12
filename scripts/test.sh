#!/usr/bin/env bash
# The README's second command: install what is missing, then run every test: formatting and
# lints, native unit/property/integration/doc tests, the wasm API in headless Chromium and
# Firefox, the browser bundle's size budget, and the end-to-end tests of the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --quiet -- -D warnings

step "native tests"
cargo test --quiet

step "fuzz smoke run: every fuzz target for 20 s"
scripts/fuzz.sh --smoke

step "wasm API in headless Chromium"
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" wasm-pack test --headless --chrome

step "wasm API in headless Firefox"
GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}" wasm-pack test --headless --firefox

step "browser bundle and its size budget"
scripts/build.sh
scripts/size.sh --check

step "npm package"
scripts/pack.sh

step "end-to-end tests in headless Chromium (the demo, the npm package, the Eleventy fixture blog)"
node --test tests/e2e/
