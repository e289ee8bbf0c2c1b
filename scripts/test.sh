#!/usr/bin/env bash
# Installs what the tests need (Debian packages, a virtual environment) and runs the whole suite:
# on SQLite, again on a real PostgreSQL started here on loopback, then the browser tests in
# Debian's Chromium. Exits non-zero if any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# 1. Debian packages: PostgreSQL, Chromium, gettext (for compiling translations).
missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. A virtual environment with Exceed and its test tools.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import exceed, pytest, playwright" # fail here, not later, if the install broke

# 3. Translations.
(cd src/exceed && DJANGO_SETTINGS_MODULE=exceed.settings EXCEED_DATA_DIR="$(mktemp -d)" \
  "$ROOT/.venv/bin/python" -m django compilemessages -v 0)

# 4. The habits the tools hold: lint, the layer contracts, types (scripts/checks.sh).
bash scripts/checks.sh

WORK=$(mktemp -d /tmp/exceed-test.XXXXXX)
chmod 755 "$WORK"
PG_PID=""
cleanup() {
  if [ -n "$PG_PID" ] && kill -0 "$PG_PID" 2>/dev/null; then
    kill -INT "$PG_PID"  # "fast" shutdown of the postmaster we started, by its recorded PID
    for _ in $(seq 50); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export EXCEED_DATA_DIR="$WORK/data"
export PYTHONUNBUFFERED=1
status=0

echo "== Tests on SQLite"
.venv/bin/pytest -m "not browser" -q "$@" || status=1

echo "== Tests on PostgreSQL"
PG=$(pg_bin)
PGDATA="$WORK/pg"
PGPORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA"
runuser -u postgres -- "$PG/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PG/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
PG_PID=$(head -n 1 "$PGDATA/postmaster.pid")
EXCEED_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/exceed" \
  .venv/bin/pytest -m "not browser" -q "$@" || status=1

echo "== Browser tests (Chromium)"
.venv/bin/pytest -m browser -q "$@" || status=1

exit $status
