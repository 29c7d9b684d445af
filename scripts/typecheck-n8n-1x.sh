#!/usr/bin/env bash
# The shipped sources against both n8n lines: type-checks them against n8n-workflow 1.120.x (dev dependency
# alias n8n-workflow-1x, tsconfig.n8n-1x.json) and checks that the JavaScript compiled that way is
# byte-identical to the JavaScript compiled against n8n-workflow 2.x (what dist/ ships). So a 2.x-only
# API, or a type that changes what the compiler emits, fails CI instead of a user on n8n 1.123.
set -euo pipefail
source "$(dirname "$0")/node24.sh"
cd "$MUVI_REPO"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npx tsc -p tsconfig.json --outDir "$tmp/2x"
npx tsc -p tsconfig.n8n-1x.json --noEmit false --outDir "$tmp/1x"
if ! diff -r "$tmp/2x" "$tmp/1x" >"$tmp/diff.txt"; then
	echo "The JavaScript compiled against n8n-workflow 1.x differs from the one compiled against 2.x:" >&2
	head -n 40 "$tmp/diff.txt" >&2
	exit 1
fi
echo "n8n-workflow $(node -p "require('n8n-workflow-1x/package.json').version") and $(node -p "require('n8n-workflow/package.json').version"): type-check passed, $(find "$tmp/1x" -name '*.js' | wc -l) compiled files identical"
