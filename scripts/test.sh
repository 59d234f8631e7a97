#!/usr/bin/env bash
# The test command: lint, then for each Odoo version the set-up and the Odoo tests against a
# real database of its own. Both 18.0 and 19.0 (in that order) unless ODOO_VERSION or ODOO_SRC
# names one. Arguments go to pytest. Prints each version's pytest summary at the end and fails
# when any version failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
lint() {
    local python=${VENV:-$ROOT/.venv}/bin/python
    "$python" -m ruff check relance_fr tests scripts
    "$python" -m ruff format --check relance_fr tests scripts
    "$python" -m pylint --rcfile=.pylintrc-mandatory relance_fr
}

if [ -z "${ODOO_SRC:-}${ODOO_VERSION:-}" ]; then
    ODOO_VERSION=18.0 ./scripts/setup.sh >/dev/null  # the venv, for the linters
    lint
    failed=0
    summaries=()
    for version in 18.0 19.0; do
        echo "[test] ===== Odoo $version ====="
        start=$SECONDS
        rc=0
        RELANCE_LINTED=1 ODOO_VERSION=$version ./scripts/test.sh "$@" 2>&1 | tee "var/test-$version.log" || rc=$?
        summary=$(grep -E '([0-9]+ (passed|failed|errors?)|no tests ran).* in [0-9.]+s' "var/test-$version.log" | tail -n 1)
        summaries+=("Odoo $version: ${summary:-no pytest summary (see var/test-$version.log)} [$((SECONDS - start)) s]")
        [ "$rc" = 0 ] || failed=1
    done
    printf '%s\n' "${summaries[@]}"
    exit $failed
fi

source scripts/odoo_env.sh
./scripts/setup.sh
[ -n "${RELANCE_LINTED:-}" ] || lint
DB=relance_test$DB_SUFFIX
./scripts/ensure_db.sh "$DB" relance_fr,l10n_fr_account,payment_demo
# a committed copy for the tests that work outside the test transaction (concurrency, crash)
dropdb --if-exists "${DB}_conc"
createdb -T "$DB" "${DB}_conc"
# relance_fr uninstalls with no warning or error in Odoo's log (on a throwaway copy)
dropdb --if-exists "${DB}_uninstall"
createdb -T "$DB" "${DB}_uninstall"
echo 'env["ir.module.module"].search([("name", "=", "relance_fr")]).button_immediate_uninstall()' \
    | "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$CONF" -d "${DB}_uninstall" \
        --no-http --log-level=warn > "var/uninstall$DB_SUFFIX.log" 2>&1
dropdb "${DB}_uninstall"
if grep -E " (WARNING|ERROR|CRITICAL) " "var/uninstall$DB_SUFFIX.log"; then
    echo "[test] ERROR: uninstalling relance_fr logged warnings or errors (above)" >&2
    exit 1
fi
exec "$VENV/bin/python" -m pytest --odoo-config="$CONF" --odoo-database="$DB" "$@"
