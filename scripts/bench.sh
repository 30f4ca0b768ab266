#!/bin/bash
# Loads the real binary with wrk on loopback and writes the figures into
# BENCHMARKS.md. The binary runs on a throwaway private PostgreSQL with the
# demo content; /healthz is measured in the same run as the ceiling.
# Endpoints are listed in scripts/bench-endpoints.txt (path and a label).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
PORT=${BENCH_PORT:-18080}
DATA=$(mktemp -d /tmp/leeromgeving-bench-XXXXXX)
OUT=var/bench-wrk.txt
mkdir -p var
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT

LEEROMGEVING_DATA_DIR=$DATA LEEROMGEVING_ADDR=127.0.0.1:$PORT LEEROMGEVING_LOG_LEVEL=warn \
	./bin/leeromgeving serve >"$DATA/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
	curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
	sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$DATA/serve.log"; exit 1; }

# Optional per-endpoint set-up (logins, ids) comes from scripts/bench-setup.sh,
# which may print extra "path<TAB>label<TAB>wrk-lua-script" lines.
endpoints=$(grep -v '^#' scripts/bench-endpoints.txt | sed '/^$/d')
if [ -x scripts/bench-setup.sh ]; then
	endpoints="$endpoints"$'\n'"$(BASE=http://127.0.0.1:$PORT DATA=$DATA scripts/bench-setup.sh)"
fi

printf '| endpoint | what | requests/s | p50 | p90 | p99 |\n|---|---|---:|---:|---:|---:|\n' >"$OUT"
while IFS=$'\t' read -r path label script; do
	[ -z "$path" ] && continue
	args=(-t2 -c"$CONNS" -d"$DURATION" --latency)
	[ -n "${script:-}" ] && args+=(-s "$script")
	res=$(wrk "${args[@]}" "http://127.0.0.1:$PORT$path")
	rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$res")
	p50=$(awk '$1=="50%" {print $2}' <<<"$res")
	p90=$(awk '$1=="90%" {print $2}' <<<"$res")
	p99=$(awk '$1=="99%" {print $2}' <<<"$res")
	errs=$(grep -E 'Non-2xx|Socket errors' <<<"$res" || true)
	[ -n "$errs" ] && label="$label ($(tr '\n' ' ' <<<"$errs"))"
	printf '| `%s` | %s | %s | %s | %s | %s |\n' "$path" "$label" "$rps" "$p50" "$p90" "$p99" | tee -a "$OUT"
done <<<"$endpoints"

# Splice the table into BENCHMARKS.md between the markers.
python3 - "$OUT" <<'PY'
import sys, datetime, re, os, platform
table = open(sys.argv[1]).read()
path = "BENCHMARKS.md"
doc = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n<!-- wrk:start -->\n<!-- wrk:end -->\n"
stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
cpus = os.cpu_count()
block = f"<!-- wrk:start -->\nLast `make bench`: {stamp}, {cpus} cores, wrk and the server on the same machine.\n\n{table}<!-- wrk:end -->"
doc = re.sub(r"<!-- wrk:start -->.*?<!-- wrk:end -->", block, doc, flags=re.S)
open(path, "w").write(doc)
PY
echo "BENCHMARKS.md updated."
