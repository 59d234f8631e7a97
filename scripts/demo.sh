#!/usr/bin/env bash
# The main job: a demo database with French customers and overdue invoices, the dunning run,
# and a summary of what was sent and printed. The emails go, through Odoo's own mail queue, to
# a local SMTP sink (tests/smtp_sink.py) that refuses one customer's address and bounces
# another's: both reminders end up as letters. On the Odoo of odoo_env.sh (ODOO_VERSION=19.0
# make demo: database relance_demo_19).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/odoo_env.sh"
PORT=${DEMO_PORT:-8069}
DB=${DEMO_DB:-relance_demo$DB_SUFFIX}
cd "$ROOT"
./scripts/setup.sh
./scripts/ensure_db.sh "$DB" relance_fr,l10n_fr_account,payment_demo
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin")
ARGS=(-c "${CONF#"$ROOT"/}" -d "$DB")

# wkhtmltopdf loads the letters' stylesheets from a running Odoo: start one for the run
source scripts/serve.sh
serve "$CONF" "$DB" "$PORT" var/demo-server.log

# the customers' mail servers: a local SMTP sink, stopped (and printing what it got) at the end
SMTP_PORT=$("$VENV/bin/python" -c 'from tests.smtp_sink import free_port; print(free_port())')
BOUNCES=var/demo-bounces
rm -rf "$BOUNCES"
"$VENV/bin/python" -m tests.smtp_sink --port "$SMTP_PORT" --outbox "$BOUNCES" \
    --refuse compta3@client3.example --bounce compta9@client9.example > var/demo-smtp.log 2>&1 &
sink=$!
stop_sink() { [ -z "$sink" ] || { kill "$sink" 2>/dev/null; wait "$sink" 2>/dev/null || true; sink=; }; }
trap 'stop_sink; unserve' EXIT
for _ in $(seq 1 50); do grep -q listening var/demo-smtp.log && break; sleep 0.1; done

REPORT_URL="http://127.0.0.1:$PORT" DEMO_BOUNCES="$BOUNCES" "${ODOO[@]}" shell "${ARGS[@]}" --no-http \
    --smtp=127.0.0.1 --smtp-port="$SMTP_PORT" --log-level=error < scripts/demo.py
stop_sink
cat var/demo-smtp.log
echo "Open it: PYTHONPATH=$ODOO_SRC ${ODOO[*]} ${ARGS[*]}  then http://localhost:8069 (admin / admin, or claire / claire)"
