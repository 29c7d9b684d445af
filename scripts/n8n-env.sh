# Sourced by e2e.sh, demo.sh and the project's other scripts: makes a pinned n8n runnable.
#
# Which n8n: N8N_VERSION, else MUVI_N8N_VERSION, else 2.41.1. Tested lines:
#   2.x (2.41.1)  on Node.js 24, npm override linkedom 0.18.14 (a newer linkedom breaks its tree)
#   1.x (1.123.81) on Node.js 22, npm override xlsx 0.18.5 (n8n-nodes-base pins an xlsx tarball on a
#                  host that is not the npm registry); its sqlite3 is compiled from source (~11 min cold)
# MUVI_N8N_USE_OVERRIDES (JSON) replaces the overrides, MUVI_N8N_USE_NODE the Node.js major.
#
# - The dev tooling stays on Node.js 24 (scripts/node24.sh, first on PATH). n8n itself runs on its own
#   Node through the wrapper $MUVI_N8N_BIN, whatever PATH holds, so one shell can drive either line.
# - n8n goes into $MUVI_CACHE_DIR/n8n-<version> (default cache: ~/.cache/n8n-nodes-muvi): `npm install
#   --ignore-scripts` (an optional Kafka dependency would try to download sources), then `npm rebuild`
#   of the native modules n8n loads (sqlite3, and isolated-vm on 2.x). An older cache keeps working:
#   $MUVI_CACHE_DIR/n8n is used when it holds the requested version. A marker file records what the
#   install was built for (n8n version, Node ABI); a warm call takes well under a second.
#
# Exports MUVI_REPO, MUVI_CACHE_DIR, MUVI_N8N_VERSION, MUVI_N8N_LINE (1 or 2), MUVI_N8N_DIR,
# MUVI_N8N_BIN (runs the n8n CLI on the right Node), MUVI_N8N_NODE_DIR (that Node's folder; its npm is
# the one n8n's community-package installer would use).
# Safe to source from `set -euo pipefail` scripts; returns non-zero if the install fails.
# MUVI_N8N_NO_INSTALL=1 only sets the variables and defines the functions (muvi_n8n_ensure installs).

MUVI_N8N_VERSION="${N8N_VERSION:-${MUVI_N8N_VERSION:-2.41.1}}"
MUVI_N8N_LINE="${MUVI_N8N_VERSION%%.*}"
case "$MUVI_N8N_LINE" in
1)
	muvi_n8n_default_node=22
	muvi_n8n_default_overrides='{"xlsx":"0.18.5"}'
	;;
*)
	muvi_n8n_default_node=24
	muvi_n8n_default_overrides='{"linkedom":"0.18.14"}'
	;;
esac
# Outputs, always derived from the version (a value inherited from a parent that sourced this for another
# version must not carry over); MUVI_N8N_USE_NODE / MUVI_N8N_USE_OVERRIDES are the overrides.
MUVI_N8N_NODE_MAJOR="${MUVI_N8N_USE_NODE:-$muvi_n8n_default_node}"
MUVI_N8N_OVERRIDES="${MUVI_N8N_USE_OVERRIDES:-$muvi_n8n_default_overrides}"
unset muvi_n8n_default_node muvi_n8n_default_overrides

# shellcheck source=node24.sh
source "$(dirname "${BASH_SOURCE[0]}")/node24.sh" || return 1

MUVI_N8N_NODE_DIR="$(muvi_node_dir "$MUVI_N8N_NODE_MAJOR")" || return 1

# One folder per n8n version. The folder an older version of this script used ($MUVI_CACHE_DIR/n8n, always
# 2.41.1) stays in use when it holds (or is being installed with) the requested version.
muvi_n8n_pick_dir() {
	local legacy="$MUVI_CACHE_DIR/n8n"
	if [ ! -e "$MUVI_CACHE_DIR/n8n-$MUVI_N8N_VERSION" ] && [ -f "$legacy/package.json" ] &&
		[ "$(node -p "try { require('$legacy/package.json').dependencies.n8n } catch { '' }")" = "$MUVI_N8N_VERSION" ]; then
		echo "$legacy"
	else
		echo "$MUVI_CACHE_DIR/n8n-$MUVI_N8N_VERSION"
	fi
}
MUVI_N8N_DIR="$(muvi_n8n_pick_dir)"
MUVI_N8N_BIN="$MUVI_N8N_DIR/muvi-n8n"
export MUVI_N8N_VERSION MUVI_N8N_LINE MUVI_N8N_NODE_MAJOR MUVI_N8N_DIR MUVI_N8N_BIN MUVI_N8N_NODE_DIR

# Runs "$@" with n8n's Node first on PATH and its headers for node-gyp.
muvi_with_n8n_node() {
	PATH="$MUVI_N8N_NODE_DIR/bin:$PATH" npm_config_nodedir="$MUVI_N8N_NODE_DIR" "$@"
}

# What the installed n8n was built for: a different n8n or Node ABI means install/rebuild again.
muvi_n8n_stamp() {
	"$MUVI_N8N_NODE_DIR/bin/node" -p "'n8n $MUVI_N8N_VERSION, node ABI ' + process.versions.modules + ', ' + process.platform + '-' + process.arch"
}

# The native modules this n8n has (1.x has no isolated-vm).
muvi_n8n_native_modules() {
	local m
	for m in sqlite3 isolated-vm; do
		if [ -f "$MUVI_N8N_DIR/node_modules/$m/package.json" ]; then printf '%s ' "$m"; fi
	done
}

# The CLI wrapper: n8n on its own Node (also first on PATH for anything n8n spawns).
muvi_n8n_write_wrapper() {
	local tmp="$MUVI_N8N_BIN.tmp.$$"
	cat >"$tmp" <<WRAPPER || return 1
#!/bin/sh
# n8n $MUVI_N8N_VERSION on Node.js $MUVI_N8N_NODE_MAJOR (written by n8n-nodes-muvi's scripts/n8n-env.sh)
PATH="$MUVI_N8N_NODE_DIR/bin:\$PATH"
export PATH
exec "$MUVI_N8N_NODE_DIR/bin/node" "$MUVI_N8N_DIR/node_modules/n8n/bin/n8n" "\$@"
WRAPPER
	chmod +x "$tmp" && mv -f "$tmp" "$MUVI_N8N_BIN"
}

muvi_n8n_install() {
	local dir="$MUVI_N8N_DIR" started=$SECONDS
	mkdir -p "$dir" || return 1
	echo "Preparing n8n $MUVI_N8N_VERSION on Node.js $MUVI_N8N_NODE_MAJOR in $dir (first run: 5 to 15 minutes and 2 to 3 GB) ..." >&2
	local wanted_pkg
	wanted_pkg="{\"name\":\"muvi-n8n-host\",\"private\":true,\"dependencies\":{\"n8n\":\"$MUVI_N8N_VERSION\"},\"overrides\":$MUVI_N8N_OVERRIDES}"
	# Skipped only when a complete install of exactly this package.json is there (.muvi-installed is written
	# after npm finished, so an install that was interrupted runs again).
	if [ "$(cat "$dir/.muvi-installed" 2>/dev/null)" != "$wanted_pkg" ] &&
		! { [ -f "$dir/.muvi-ready" ] && [ "$(node -p "try { require('$dir/node_modules/n8n/package.json').version } catch { '' }")" = "$MUVI_N8N_VERSION" ]; }; then
		rm -f "$dir/.muvi-installed" "$dir/.muvi-ready"
		printf '%s\n' "$wanted_pkg" >"$dir/package.json"
		echo "  npm install n8n@$MUVI_N8N_VERSION --ignore-scripts ..." >&2
		(cd "$dir" && muvi_with_n8n_node npm install --ignore-scripts --no-audit --no-fund --loglevel=error >"$dir/install.log" 2>&1) || {
			echo "n8n install failed; the last lines of $dir/install.log:" >&2
			tail -n 30 "$dir/install.log" >&2
			return 1
		}
		printf '%s' "$wanted_pkg" >"$dir/.muvi-installed"
	fi
	local native
	native="$(muvi_n8n_native_modules)"
	local check="for (const m of process.argv.slice(1)) require(m)"
	# shellcheck disable=SC2086 # a list of module names
	if ! (cd "$dir" && muvi_with_n8n_node node -e "$check" $native >/dev/null 2>&1); then
		echo "  npm rebuild $native(compiles sqlite3: 2 to 15 minutes) ..." >&2
		# shellcheck disable=SC2086
		(cd "$dir" && muvi_with_n8n_node npm rebuild $native --loglevel=error >"$dir/rebuild.log" 2>&1) || {
			echo "npm rebuild failed; the last lines of $dir/rebuild.log:" >&2
			tail -n 30 "$dir/rebuild.log" >&2
			return 1
		}
		# shellcheck disable=SC2086
		(cd "$dir" && muvi_with_n8n_node node -e "$check" $native) || {
			echo "$native still do not load after the rebuild (see $dir/rebuild.log)" >&2
			return 1
		}
	fi
	[ -f "$dir/node_modules/n8n/bin/n8n" ] || { echo "n8n CLI missing in $dir/node_modules/n8n/bin" >&2; return 1; }
	muvi_n8n_write_wrapper || return 1
	muvi_n8n_stamp >"$dir/.muvi-ready"
	echo "n8n $MUVI_N8N_VERSION ready in $((SECONDS - started)) s." >&2
}

muvi_n8n_ready() {
	local marker="$MUVI_N8N_DIR/.muvi-ready"
	[ -f "$marker" ] && [ -f "$MUVI_N8N_DIR/node_modules/n8n/bin/n8n" ] && [ "$(cat "$marker")" = "$(muvi_n8n_stamp)" ]
}

muvi_n8n_ensure() {
	if muvi_n8n_ready; then
		# A folder an older script installed has no wrapper yet.
		[ -x "$MUVI_N8N_BIN" ] || muvi_n8n_write_wrapper
		return
	fi
	mkdir -p "$MUVI_CACHE_DIR" || return 1
	local lock="$MUVI_CACHE_DIR/.n8n-$MUVI_N8N_VERSION-install.lock"
	# The lock the older script used for its folder, so both never install into it at once.
	[ "$MUVI_N8N_DIR" = "$MUVI_CACHE_DIR/n8n" ] && lock="$MUVI_CACHE_DIR/.n8n-install.lock"
	if command -v flock >/dev/null 2>&1; then
		# Two scripts started together (e.g. the demo and the tests) must not install into one folder at once.
		(
			flock 9 || exit 1
			if muvi_n8n_ready; then
				[ -x "$MUVI_N8N_BIN" ] || muvi_n8n_write_wrapper
				exit
			fi
			muvi_n8n_install
		) 9>"$lock"
	else
		muvi_n8n_install
	fi
}

if [ -z "${MUVI_N8N_NO_INSTALL:-}" ]; then muvi_n8n_ensure || return 1; fi
