#!/usr/bin/env bash
# Prepare this machine for relance_fr: Odoo source, PostgreSQL, wkhtmltopdf/poppler, venv.
# Idempotent: a second run with nothing changed only checks.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
VENV=${VENV:-$ROOT/.venv}
PG_VERSION=${PG_VERSION:-15}

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# 1. Odoo 18 source
if [ ! -x "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/addons/account" ]; then
    die "Odoo 18.0 source not found at ODOO_SRC=$ODOO_SRC (need odoo-bin and addons/account).
Install Odoo 18.0 community there (git clone -b 18.0 --depth 1 <odoo repository> $ODOO_SRC)
or point ODOO_SRC at an existing checkout."
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" || die "$ODOO_SRC is not Odoo 18.0"

# 2. System packages: wkhtmltopdf (PDF rendering), poppler-utils (pdftotext in tests) and
#    Chromium (the browser tour; Odoo's HttpCase looks for google-chrome or chromium in PATH)
missing=()
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v chromium >/dev/null || command -v google-chrome >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]} from Debian"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing system packages: ${missing[*]}. Install them: sudo apt-get install ${missing[*]}"
    fi
fi

# 3. PostgreSQL: start the local cluster when it is down
if ! pg_isready -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null; then
        say "starting PostgreSQL $PG_VERSION"
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q 2>/dev/null && break; sleep 1; done
    pg_isready -q 2>/dev/null || die "PostgreSQL is not running and could not be started.
Start it (pg_ctlcluster $PG_VERSION main start) or set PGHOST/PGUSER for a running server."
fi
psql -d postgres -Atqc 'select 1' >/dev/null 2>&1 \
    || die "cannot connect to PostgreSQL as $(id -un): create that role with createdb rights."

# 4. Python virtual environment with Odoo's and the tests' requirements: built when missing;
#    an existing one only gets what requirements.txt pins and it lacks (never rebuilt)
if [ ! -x "$VENV/bin/python" ]; then
    say "building the virtual environment in $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip wheel
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt"
elif ! "$VENV/bin/python" - "$ROOT/requirements.txt" <<'PY'
import re
import sys
from importlib.metadata import PackageNotFoundError, version

missing = []
for line in open(sys.argv[1]):
    pin = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", line.strip())
    if pin:
        try:
            ok = version(pin[1]) == pin[2]
        except PackageNotFoundError:
            ok = False
        missing += [] if ok else [line.strip()]
if missing:
    print("missing or other version:", " ".join(missing))
sys.exit(1 if missing else 0)
PY
then
    say "installing the requirements $VENV lacks"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt"
fi
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$ODOO_SRC" > "$site/odoo-src.pth"

# 5. Odoo configuration for this checkout
mkdir -p "$ROOT/var"
cat > "$ROOT/var/odoo.conf" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ROOT
data_dir = $ROOT/var/filestore
db_host = False
db_port = False
list_db = True
without_demo = all
http_port = ${ODOO_HTTP_PORT:-8069}
CONF
say "ready (Odoo: $ODOO_SRC, venv: $VENV)"
