#!/usr/bin/env bash
# Packs the package as npm would publish it and runs n8n's community-package scan on the result.
set -euo pipefail
source "$(dirname "$0")/node24.sh"
cd "$MUVI_REPO"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm pack --pack-destination "$tmp" --silent >/dev/null
tar -xzf "$tmp"/*.tgz -C "$tmp"
node scripts/scan-package.mjs "$tmp/package"
