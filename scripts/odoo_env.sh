# Sourced by the scripts (with ROOT set): which Odoo this run uses, and this checkout's files
# for it. ODOO_SRC names an Odoo source tree; else ODOO_VERSION (18.0 or 19.0) picks
# /opt/odoo/<version>; else 18.0. Sets ODOO_SERIES, the Odoo configuration CONF and the suffix
# of the databases (18.0 keeps the names it always had; 19.0's end in _19), and puts the tree on
# PYTHONPATH (Odoo 19's `odoo` is a namespace package: it must come before any other).
ODOO_SRC=${ODOO_SRC:-/opt/odoo/${ODOO_VERSION:-18.0}}
ODOO_SRC=${ODOO_SRC%/}
odoo_series() { # the series of the Odoo source tree $1 (e.g. 18.0), empty when it is not one
    [ -f "$1/odoo/release.py" ] || return 0
    sed -nE 's/^version_info = \(([0-9]+), ([0-9]+),.*/\1.\2/p' "$1/odoo/release.py" | head -n 1
}
ODOO_SERIES=$(odoo_series "$ODOO_SRC")
case "$ODOO_SERIES" in
    18.0) CONF="$ROOT/var/odoo.conf" DB_SUFFIX= ;;
    *) CONF="$ROOT/var/odoo-$ODOO_SERIES.conf" DB_SUFFIX=_${ODOO_SERIES%%.*} ;;
esac
VENV=${VENV:-$ROOT/.venv}
export ODOO_SRC ODOO_SERIES PYTHONPATH=$ODOO_SRC
