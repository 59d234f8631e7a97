#!/usr/bin/env bash
# The main job: a demo database with French customers and overdue invoices, the dunning run,
# and a summary of what was sent and printed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
PORT=${DEMO_PORT:-8069}
cd "$ROOT"
./scripts/setup.sh
./scripts/ensure_db.sh relance_demo relance_fr,l10n_fr_account
ODOO=(.venv/bin/python "$ODOO_SRC/odoo-bin")
ARGS=(-c var/odoo.conf -d relance_demo)

# wkhtmltopdf loads the letters' stylesheets from a running Odoo: start one for the run
source scripts/serve.sh
serve var/odoo.conf relance_demo "$PORT" var/demo-server.log
REPORT_URL="http://127.0.0.1:$PORT" "${ODOO[@]}" shell "${ARGS[@]}" --no-http --log-level=error < scripts/demo.py
echo "Open it: ${ODOO[*]} ${ARGS[*]}  then http://localhost:8069 (admin / admin, or claire / claire)"
