#!/usr/bin/env bash
# The README's first command: installs Exceed in .venv and starts the demo chain on SQLite at
# http://127.0.0.1:8000/ (arguments go to `exceed demo`, e.g. --port 8080 --responses 5000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# 1. Debian packages: venv support for Python, gettext for compiling translations.
missing=()
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. A virtual environment with Exceed.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e . 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import exceed.cli" # fail here, not later, if the install broke

# 3. Translations.
(cd src/exceed && DJANGO_SETTINGS_MODULE=exceed.settings EXCEED_DATA_DIR="$(mktemp -d)" \
  "$ROOT/.venv/bin/python" -m django compilemessages -v 0)

# 4. The demo: migrates, creates the chain once (in ./data), prints the logins and serves.
exec .venv/bin/exceed demo "$@"
