#!/bin/bash
# Prints extra wrk endpoints that need a logged-in learner: logs in as the
# demo learner (password from the data directory) and writes a wrk Lua
# script that sends the session cookie. Called by bench.sh with BASE and DATA.
set -euo pipefail
PW=$(sed -n 's/^Wachtwoord voor allemaal: //p' "$DATA/demo-accounts.txt")
JAR=$DATA/bench-cookies.txt
TOKEN=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/inloggen" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
curl -fs -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$TOKEN" --data-urlencode "email=sukru@utrecht.example" \
	--data-urlencode "password=$PW" "$BASE/inloggen"
COOKIE=$(awk '$6=="sessie" || $6=="csrf" {printf "%s=%s; ", $6, $7}' "$JAR")
LUA=$DATA/bench-learner.lua
printf 'wrk.headers["Cookie"] = "%s"\n' "$COOKIE" >"$LUA"
printf '/cursussen/werken-20-de-basis\tcourse page, logged-in learner (progress query)\t%s\n' "$LUA"
printf '/cursussen/werken-20-de-basis/les/04-de-netwerkorganisatie\tlesson page, logged-in learner\t%s\n' "$LUA"
printf '/mijn/voortgang\tmy progress, logged-in learner\t%s\n' "$LUA"

# Prints extra endpoints for scripts/bench.sh ("path<TAB>label[<TAB>wrk-lua]"),
# found on the running demo instance at $BASE. One section per domain.

# certify: a valid demo certificate from the public register.
number=$(curl -fs "$BASE/register?soort=adviser" | grep -oE 'W20-ADV-[0-9]{4}-[0-9]{6}-[0-9X]' | head -1)
if [ -n "$number" ]; then
	printf '/verifieer/%s\tverify page of a valid certificate (one query, template)\n' "$number"
	printf '/api/v1/certificates/%s\tthe same verification as JSON\n' "$number"
	printf '/certificaten/%s.pdf\tcertificate PDF (rendered once per record and status, then cached)\n' "$number"
	printf '/certificaten/%s.jwt\tsigned credential (VC-JWT, an Ed25519 signature per request)\n' "$number"
fi
