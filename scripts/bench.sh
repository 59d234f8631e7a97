#!/usr/bin/env bash
# Benchmark of the daily run at 1,000 and 10,000 invoices, side by side with OCA's
# account_credit_control of the same Odoo version (from PyPI) on an identical copy of each dataset.
# The Odoo of odoo_env.sh: ODOO_VERSION=19.0 make bench measures on 19.0 (databases *_19).
# Usage: scripts/bench.sh [N ...]   (default: 1000 10000); BENCH_REUSE=1 keeps the datasets
# already built (same module schema) and measures again; BENCH_PDF=1 attaches the invoices'
# PDFs to the emails on both sides (wkhtmltopdf served by a throwaway Odoo on BENCH_PORT).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/odoo_env.sh"
cd "$ROOT"
./scripts/setup.sh >/dev/null
SIZES=("${@:-1000}")
[ $# -gt 0 ] || SIZES=(1000 10000)

# OCA's module, from its PyPI wheel (not committed: var/ is ignored)
OCA="$ROOT/var/oca-$ODOO_SERIES"
modules=relance_fr,l10n_fr_account
if [ ! -d "$OCA/odoo/addons/account_credit_control" ]; then
    rm -rf "$OCA" && mkdir -p "$OCA"
    if "$VENV/bin/pip" download -q --no-deps -d "$OCA" "odoo-addon-account-credit-control>=$ODOO_SERIES,<${ODOO_SERIES%%.*}.1" 2>/dev/null; then
        (cd "$OCA" && "$VENV/bin/python" -m zipfile -e ./*.whl .)
    fi
fi
addons="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ROOT"
if [ -d "$OCA/odoo/addons/account_credit_control" ]; then
    addons="$addons,$OCA/odoo/addons"
    modules="$modules,account_credit_control"
else
    echo "[bench] OCA's account_credit_control could not be fetched: measuring relance_fr alone"
fi
BENCH_CONF=var/bench$DB_SUFFIX.conf
sed "s#^addons_path = .*#addons_path = $addons#" "$CONF" > "$BENCH_CONF"
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin")
PORT=${BENCH_PORT:-8070}
shell() { # shell DB MODE
    BENCH_MODE=$2 BENCH_INVOICES=${N:-0} REPORT_URL="http://127.0.0.1:$PORT" "${ODOO[@]}" shell \
        -c "$BENCH_CONF" -d "$1" --no-http --log-level=error < scripts/bench.py | grep '^{'
}
source scripts/serve.sh

if [ -z "${BENCH_REUSE:-}" ]; then
    dropdb --if-exists relance_bench_base$DB_SUFFIX
    "${ODOO[@]}" -c "$BENCH_CONF" -d relance_bench_base$DB_SUFFIX -i "$modules" --stop-after-init --no-http \
        --log-level=warn > var/bench-install.log 2>&1
fi
printf '%-8s %-6s %10s %9s %12s %9s %12s\n' invoices module seconds "inv/s" queries "peak MB" communications
for N in "${SIZES[@]}"; do
    if [ -z "${BENCH_REUSE:-}" ] || ! psql -d "relance_bench_$N$DB_SUFFIX" -Atc 'select 1' >/dev/null 2>&1; then
        dropdb --if-exists "relance_bench_$N$DB_SUFFIX"
        createdb -T relance_bench_base$DB_SUFFIX "relance_bench_$N$DB_SUFFIX"
        shell "relance_bench_$N$DB_SUFFIX" build > /dev/null
    fi
    for module in ours oca; do
        [ $module = oca ] && [[ $modules != *account_credit_control* ]] && continue
        dropdb --if-exists "relance_bench_run$DB_SUFFIX"
        createdb -T "relance_bench_$N$DB_SUFFIX" relance_bench_run$DB_SUFFIX
        [ -z "${BENCH_PDF:-}" ] || serve "$BENCH_CONF" relance_bench_run$DB_SUFFIX "$PORT" var/bench-server.log
        result=$(shell relance_bench_run$DB_SUFFIX $module)
        unserve
        "$VENV/bin/python" - "$N" "$module" "$result" <<'PY'
import json, sys
n, module, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
name = "relance_fr" if module == "ours" else "OCA"
print(f"{n:<8} {name:<10} {r['seconds']:>6} {r['invoices'] / r['seconds']:>9.0f} {r['queries']:>12} "
      f"{r['peak_rss_mb']:>9} {r['communications']:>8} ({r['emails']} emails, {r['pdfs']} PDFs, "
      f"{r['invoices']} invoices)")
PY
    done
    dropdb --if-exists relance_bench_run$DB_SUFFIX
done
