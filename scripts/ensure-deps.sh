#!/bin/sh
# Installs what the tests (or benchmarks) need from Debian when it is missing
# and we are root; otherwise says what to install. Usage: ensure-deps.sh test|bench
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$2" ]; }

have initdb /usr/lib/postgresql/15/bin/initdb || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
case "${1:-test}" in
test)
	have chromium /usr/bin/chromium || need="$need chromium"
	have pdftotext /usr/bin/pdftotext || need="$need poppler-utils"
	# SCORM export: the manifest is checked against ADL's schemas with
	# xmllint, the quiz runtime runs in Node, scorm-again comes from npm.
	have xmllint /usr/bin/xmllint || need="$need libxml2-utils"
	have node /usr/bin/node || need="$need nodejs"
	have npm /usr/bin/npm || need="$need npm"
	;;
bench)
	have wrk /usr/bin/wrk || need="$need wrk"
	;;
esac

[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $need >/dev/null
else
	echo "Missing:$need. Install with: sudo apt-get install -y$need" >&2
	exit 1
fi
