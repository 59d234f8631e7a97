#!/usr/bin/env bash
# The test command: set-up, lint, then the Odoo tests against a real database.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./scripts/setup.sh
./scripts/ensure_db.sh relance_test relance_fr,l10n_fr_account
# a committed copy for the tests that work outside the test transaction (concurrency, crash)
dropdb --if-exists relance_test_conc
createdb -T relance_test relance_test_conc
.venv/bin/ruff check relance_fr tests scripts
.venv/bin/ruff format --check relance_fr tests scripts
exec .venv/bin/pytest "$@"
