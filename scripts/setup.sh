#!/usr/bin/env bash
# Prepare this machine for relance_fr on one Odoo: its source (ODOO_SRC, or ODOO_VERSION
# 18.0/19.0, see odoo_env.sh), PostgreSQL, wkhtmltopdf/poppler/Chromium, the venv, the
# configuration. Idempotent: a second run with nothing changed only checks. Every check of the
# Odoo tree comes first: a tree it refuses leaves nothing installed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/odoo_env.sh"
PG_VERSION=${PG_VERSION:-15}

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# 1. Odoo source: 18.0 or 19.0 community
if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ] || [ ! -d "$ODOO_SRC/addons/account" ]; then
    die "no Odoo source tree at ODOO_SRC=$ODOO_SRC (need odoo-bin, odoo/release.py and addons/account).
Install Odoo 18.0 or 19.0 community there, or point ODOO_SRC (or ODOO_VERSION) at one: see README."
fi
case "$ODOO_SERIES" in
    18.0 | 19.0) ;;
    "") die "$ODOO_SRC/odoo/release.py gives no Odoo version: not an Odoo source tree." ;;
    *) die "$ODOO_SRC is Odoo $ODOO_SERIES: relance_fr runs on Odoo 18.0 and 19.0 only." ;;
esac
# enterprise modules (its web client, its follow-ups) on the addons path: not ours to run with
enterprise=$(cd "$ODOO_SRC" && ls -d addons/web_enterprise addons/account_followup addons/account_reports \
    odoo/addons/web_enterprise 2>/dev/null || true)
if [ -n "$enterprise" ]; then
    die "$ODOO_SRC holds Odoo enterprise modules ($(echo $enterprise)): relance_fr is built and
tested on Odoo community only. Point ODOO_SRC at a community tree (see README)."
fi
say "Odoo $ODOO_SERIES community found at $ODOO_SRC"

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

# 4. Python virtual environment with Odoo's and the tests' requirements (one for both Odoo
#    versions: the scripts put the Odoo tree on PYTHONPATH): built when missing; an existing one
#    only gets what requirements.txt pins and it lacks (never rebuilt)
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
# earlier set-ups tied the venv to one Odoo tree with a .pth file: PYTHONPATH does it now
rm -f "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo-src.pth"

# 5. Odoo configuration of this checkout for this version (19.0 reads without_demo as a boolean)
mkdir -p "$ROOT/var"
case "$ODOO_SERIES" in 18.0) without_demo=all ;; *) without_demo=True ;; esac
cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ROOT
data_dir = $ROOT/var/filestore
list_db = True
without_demo = $without_demo
http_port = ${ODOO_HTTP_PORT:-8069}
CONF
say "ready (Odoo $ODOO_SERIES: $ODOO_SRC, venv: $VENV, configuration: ${CONF#"$ROOT"/})"
