# Sourced by demo.sh and bench.sh (with ODOO set): a throwaway Odoo serving a database, from
# which wkhtmltopdf loads the reports' stylesheets; stopped on exit.
server=
serve() { # serve CONF DB PORT LOG
    "${ODOO[@]}" -c "$1" -d "$2" --http-port="$3" --max-cron-threads=0 --log-level=warn > "$4" 2>&1 &
    server=$!
    for _ in $(seq 1 60); do
        curl -s -o /dev/null "http://127.0.0.1:$3/web/login" && return 0
        kill -0 "$server" 2>/dev/null || break
        sleep 1
    done
    cat "$4"
    echo "[serve] Odoo did not start on port $3 (log above)" >&2
    exit 1
}
unserve() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; }; }
trap unserve EXIT
