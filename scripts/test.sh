#!/usr/bin/env bash
# The test command: set-up, lint, then the Odoo tests against a real database.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./scripts/setup.sh
./scripts/ensure_db.sh relance_test relance_fr,l10n_fr_account,payment_demo
# a committed copy for the tests that work outside the test transaction (concurrency, crash)
dropdb --if-exists relance_test_conc
createdb -T relance_test relance_test_conc
# relance_fr uninstalls with no warning or error in Odoo's log (on a throwaway copy)
dropdb --if-exists relance_test_uninstall
createdb -T relance_test relance_test_uninstall
echo 'env["ir.module.module"].search([("name", "=", "relance_fr")]).button_immediate_uninstall()' \
    | .venv/bin/python "${ODOO_SRC:-/opt/odoo/18.0}/odoo-bin" shell -c var/odoo.conf -d relance_test_uninstall \
        --no-http --log-level=warn > var/uninstall.log 2>&1
dropdb relance_test_uninstall
if grep -E " (WARNING|ERROR|CRITICAL) " var/uninstall.log; then
    echo "[test] ERROR: uninstalling relance_fr logged warnings or errors (above)" >&2
    exit 1
fi
.venv/bin/ruff check relance_fr tests scripts
.venv/bin/ruff format --check relance_fr tests scripts
.venv/bin/pylint --rcfile=.pylintrc-mandatory relance_fr
exec .venv/bin/pytest "$@"
