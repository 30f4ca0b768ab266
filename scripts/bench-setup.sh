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
