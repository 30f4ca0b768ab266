#!/usr/bin/env bash
# Load the Gids' search with wrk, one URL at a time, and print a Markdown
# table of requests/s and latency percentiles. Run it against a server on a
# data directory seeded with `seed --demo` and `seed --scale 100000`:
#
#   LEEROMGEVING_DATA_DIR=var-scale LEEROMGEVING_ADDR=127.0.0.1:18300 bin/leeromgeving serve &
#   scripts/gids-scale-bench.sh http://127.0.0.1:18300 > var/gids-scale.md
#
# Each URL gets one warm-up request (facet counts are cached for 30 s, as
# in production), then wrk with 2 threads and 4 connections for DURATION.
set -euo pipefail
base=${1:-http://127.0.0.1:18300}
duration=${DURATION:-5s}
queries=(
  trainingen training cursus cursussen opleiding opleidingen workshop advies adviseur adviseurs begeleiding coach
  "advies participatie" "adviseur participatie" "training webcare" webcare webcaer "webcare gemeenten" "webcare crisis" crisis
  "webcare waterschap" leiderschap leiderchap leidinggevenden masterclass leergang "open data" woo "open overheid" e-learning
  "sociale media" "sociale media training" "kennis delen" kennisdelen "digitale vaardigheden" "online samenwerken" participatie
  partisipatie netwerkorganisatie fryslan Fryslân friesland leeuwarden zwolle "participatie den haag" "webcare utrecht" groningen
  "limburg cursus" netwerkstad "Netwerkstad Advies" kennislab "werken 2.0" wijkgesprekken bewonersavond klantcontactcentrum
  "design thinking" datastrategie algoritmeregister dorpsgesprekken "zzp adviseur" adviesbureau opleidingsinstituut
)
filters=(
  "" "thema=webcare" "provincie=utrecht" "vorm=online" "maxprijs=500" "gecertificeerd=1" "minscore=4"
  "thema=webcare&provincie=utrecht&vorm=online&minscore=3" "thema=participatie&provincie=gelderland&maxprijs=2000"
  "sorteer=prijs" "sorteer=nieuw" "sorteer=waardering" "provincie=online&vorm=online&gecertificeerd=1" "pagina=50"
)
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
run() {
  local url=$1 label=$2
  curl -s -o /dev/null "$url"
  local out rps p50 p90 p99
  out=$(wrk -t2 -c4 -d"$duration" --latency "$url")
  rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p90=$(awk '$1=="90%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '| `%s` | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p90" "$p99"
}
echo "| search (100,000 offerings) | requests/s | p50 | p90 | p99 |"
echo "|---|---:|---:|---:|---:|"
for q in "${queries[@]}"; do
  run "$base/gids?q=$(enc "$q")" "q=$q"
done
for f in "${filters[@]}"; do
  run "$base/gids?$f" "${f:-(no filter)}"
  run "$base/gids?q=training&$f" "q=training&$f"
done
for a in "q=webcare" "q=training" "theme=webcare&province=utrecht&format=online&min_rating=3" "q=adviseur&province=gelderland&sort=price"; do
  run "$base/api/v1/offerings?$a" "API $a"
done
