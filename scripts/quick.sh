#!/usr/bin/env bash
# Day-to-day: the static checks, then the SQLite suite without the browser, stopping at the first
# failure. Extra arguments go to pytest (a path, -k NAME). The full run is scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/pytest ] || { echo "Run bash scripts/test.sh once first: it creates .venv."; exit 2; }
bash scripts/checks.sh
(cd src/exceed && DJANGO_SETTINGS_MODULE=exceed.settings EXCEED_DATA_DIR="$(mktemp -d)" ../../.venv/bin/python -m django compilemessages -v 0)
EXCEED_DATA_DIR="$(mktemp -d)" .venv/bin/pytest -m "not browser" -x -q "$@"
