#!/usr/bin/env bash
# The README's first command: install what is missing, build, and serve the demo on
# http://127.0.0.1:${PORT:-8000}/ until interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
port="${PORT:-8000}"
echo "glossa demo: http://127.0.0.1:$port/" >&2
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
