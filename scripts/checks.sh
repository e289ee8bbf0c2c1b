#!/usr/bin/env bash
# The static checks the test command runs first: ruff (lint and format), the import-linter contracts that hold
# the apps' layer order, and mypy over the shared pieces, services, selectors and the API package.
# Exits non-zero on the first violation. Expects .venv from scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Checks (ruff, import contracts, mypy)"
.venv/bin/ruff check --quiet src tests benchmarks
.venv/bin/ruff format --check --quiet src tests benchmarks
PYTHONPATH=src .venv/bin/lint-imports --no-cache | tail -n 8
EXCEED_DATA_DIR="$(mktemp -d)" PYTHONPATH=src .venv/bin/mypy --no-incremental
