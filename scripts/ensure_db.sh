#!/usr/bin/env bash
# ensure_db.sh DB MODULES: a database with MODULES installed and relance_fr up to date, on the
# Odoo of odoo_env.sh.
# Recreated from scratch when relance_fr's files changed since it was built.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB=$1
MODULES=$2
source "$ROOT/scripts/odoo_env.sh"
STAMP="$ROOT/var/$DB.sha1"
LOG="$ROOT/var/$DB-install.log"

code_hash=$( (cd "$ROOT" && find relance_fr -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum; echo "$MODULES $ODOO_SRC") | sha1sum | cut -d' ' -f1)
db_exists=$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$DB'")
if [ "$db_exists" = 1 ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$code_hash" ]; then
    exit 0
fi
echo "[db] building database $DB with $MODULES (a few minutes)"
dropdb --if-exists "$DB"
rm -rf "$ROOT/var/filestore/filestore/$DB"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" -i "$MODULES" \
    --stop-after-init --no-http --load-language=fr_FR --log-level=warn >"$LOG" 2>&1 \
    || { tail -n 40 "$LOG"; echo "[db] ERROR: installing $MODULES failed, see $LOG" >&2; exit 1; }
if grep -E " (WARNING|ERROR|CRITICAL) .*relance_fr" "$LOG"; then
    echo "[db] ERROR: relance_fr logged warnings or errors while installing (above; $LOG)" >&2
    exit 1
fi
echo "$code_hash" > "$STAMP"
