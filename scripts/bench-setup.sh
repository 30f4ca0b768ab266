#!/bin/bash
# Prints extra endpoints for scripts/bench.sh ("path<TAB>label[<TAB>wrk-lua]"),
# found on the running demo instance at $BASE. One section per domain.
set -euo pipefail

# certify: a valid demo certificate from the public register.
number=$(curl -fs "$BASE/register?soort=adviser" | grep -oE 'W20-ADV-[0-9]{4}-[0-9]{6}-[0-9X]' | head -1)
if [ -n "$number" ]; then
	printf '/verifieer/%s\tverify page of a valid certificate (one query, template)\n' "$number"
	printf '/api/v1/certificates/%s\tthe same verification as JSON\n' "$number"
	printf '/certificaten/%s.pdf\tcertificate PDF (rendered once per record and status, then cached)\n' "$number"
	printf '/certificaten/%s.jwt\tsigned credential (VC-JWT, an Ed25519 signature per request)\n' "$number"
fi
