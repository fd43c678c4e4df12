#!/usr/bin/env bash
# Fuzzes the core with cargo-fuzz (libFuzzer), one target at a time, and prints executions and
# time per target. See README "Fuzzing".
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   each target for SECONDS (default 300: a campaign)
#   scripts/fuzz.sh --smoke [TARGET...]      each target for 20 s (the CI step in scripts/test.sh)
#
# Targets: glossary, query, annotate, article, index_bytes, index_payload (fuzz/fuzz_targets/).
# Corpora live in fuzz/corpus/TARGET (not committed), seeded on every run from content/ (the
# demo glossary, articles and an index built from them with the CLI) and fuzz/seeds/, and kept
# between runs, so a campaign picks up where the last one stopped. A crash leaves its input in
# fuzz/artifacts/TARGET/ and makes the script exit 1 after the remaining targets have run;
# replay one with `RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET ARTIFACT`.
#
# Needs only the stable toolchain: RUSTC_BOOTSTRAP=1 lets stable rustc take the -Z flags
# cargo-fuzz passes, AddressSanitizer's included. The core has no unsafe code, but its
# dependencies do, and ASan costs little here, so it stays on; FUZZ_SANITIZER=none turns it off.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1

seconds=300
if [ "${1:-}" = "--smoke" ]; then
  seconds=20
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
all=(glossary query annotate article index_bytes index_payload)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
sanitizer=${FUZZ_SANITIZER:-address}

say() { printf '\033[1mfuzz:\033[0m %s\n' "$*" >&2; }

if ! command -v cargo-fuzz >/dev/null; then
  say "installing cargo-fuzz (a minute or two, once)"
  cargo install -q cargo-fuzz
fi

# Seeds: real data, under fixed names so that re-seeding replaces rather than adds.
corpus=fuzz/corpus
mkdir -p "${all[@]/#/$corpus/}"
cp fuzz/seeds/glossary/* "$corpus/glossary/"
cp content/glossary.json "$corpus/glossary/seed-content-glossary.json"
cp fuzz/seeds/query/* "$corpus/query/"
cp fuzz/seeds/annotate/* "$corpus/annotate/"
cp fuzz/seeds/article/* "$corpus/article/"
# Each passage of the demo articles for the annotator (after its language byte), and each
# article as text (title, blank line, passages) for the article target.
python3 - "$corpus" content/articles/*.json <<'EOF'
import json, sys
corpus, paths = sys.argv[1], sys.argv[2:]
for path in paths:
    article = json.load(open(path, encoding="utf-8"))
    name = article["id"]
    for i, passage in enumerate(article["passages"]):
        with open(f"{corpus}/annotate/seed-{name}-{i}", "wb") as f:
            f.write(b"\0" + passage.encode())
    with open(f"{corpus}/article/seed-{name}", "wb") as f:
        f.write("\n\n".join([article["title"]] + article["passages"]).encode())
EOF
# Indexes made by the CLI: the demo's, and a small one that mutates faster.
cargo build --quiet --bin glossa
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target/debug/glossa index -o "$tmp/demo.idx" --glossary content/glossary.json content/articles/*.json 2>/dev/null
cp fuzz/seeds/article/simple "$tmp/small.txt"
target/debug/glossa index -o "$tmp/small.idx" --glossary fuzz/seeds/glossary/small.json "$tmp/small.txt" 2>/dev/null
for name in demo small; do
  cp "$tmp/$name.idx" "$corpus/index_bytes/seed-$name"
  tail -c +21 "$tmp/$name.idx" >"$corpus/index_payload/seed-$name"
done

say "building the fuzz targets (sanitizer: $sanitizer)"
build_start=$(date +%s)
if [ ${#targets[@]} -eq 1 ]; then
  cargo fuzz build --sanitizer "$sanitizer" "${targets[0]}"
else
  cargo fuzz build --sanitizer "$sanitizer"
fi
say "built in $(( $(date +%s) - build_start )) s"

# Per target: the longest input tried (the index seeds are 44 KB) and a dictionary.
max_len() { case $1 in query) echo 1024 ;; article) echo 4096 ;; index_*) echo 65536 ;; *) echo 16384 ;; esac; }
dict() { case $1 in glossary) echo fuzz/dicts/json.dict ;; query) echo fuzz/dicts/query.dict ;;
  annotate | article) echo fuzz/dicts/text.dict ;; esac; }

mkdir -p fuzz/logs
summary=()
failed=0
for target in "${targets[@]}"; do
  say "$target: ${seconds} s"
  log=fuzz/logs/$target.log
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
    -max_len="$(max_len "$target")")
  [ -z "$(dict "$target")" ] || args+=(-dict="$(dict "$target")")
  start=$(date +%s)
  status=0
  cargo fuzz run --sanitizer "$sanitizer" "$target" -- "${args[@]}" >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log" | tail -1)
  files=$(find "$corpus/$target" -type f | wc -l)
  result=clean
  if [ "$status" -ne 0 ]; then
    result="FAILED (exit $status): see $log and fuzz/artifacts/$target/"
    failed=1
    grep -m 3 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" >&2 || true
  fi
  summary+=("$(printf '%-14s %6s s %12s execs %8s/s %7s inputs  %s' "$target" "$elapsed" \
    "${execs:-?}" "$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))" "$files" "$result")")
done

printf '\n%-14s %8s %18s %10s %14s  %s\n' target time executions rate corpus result
printf '%s\n' "${summary[@]}"
exit "$failed"
