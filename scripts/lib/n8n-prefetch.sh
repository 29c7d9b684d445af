# Sourced by .ci/run and scripts/test.sh: starts the n8n installs the end-to-end suites will need in the
# background, so the long ones (n8n 1.123.81 compiles sqlite3: 11+ minutes cold on 2 cores) run while
# lint, build and jest do. Each install is what `N8N_VERSION=<v> source scripts/n8n-env.sh` does, guarded by
# its per-version lock: the suite that needs n8n later waits for it, or finds it ready; a cached install
# takes under a second.
#
#   muvi_n8n_prefetch <version>...   starts them; output appended to $MUVI_CACHE_DIR/prefetch-n8n-<version>.log
#   muvi_n8n_prefetch_stop           stops those still running (by their process group): call on exit.
#                                    An interrupted install starts over on next use.

MUVI_N8N_PREFETCH_PIDS="${MUVI_N8N_PREFETCH_PIDS:-}"

muvi_n8n_prefetch() {
	local v log repo
	repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	local cache="${MUVI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-muvi}"
	mkdir -p "$cache" || return 1
	for v in "$@"; do
		log="$cache/prefetch-n8n-$v.log"
		# appended: a second prefetch (e.g. npm test inside .ci/run) waits for the first on the install lock
		echo "=== $(date -u '+%Y-%m-%d %H:%M:%S') prefetch of n8n $v (pid $$)" >>"$log"
		N8N_VERSION="$v" setsid bash -c 'started=$SECONDS; set -uo pipefail; source "$1/scripts/n8n-env.sh" && echo "n8n $N8N_VERSION ready (prefetch took $((SECONDS - started)) s)"' \
			muvi-prefetch "$repo" >>"$log" 2>&1 </dev/null &
		MUVI_N8N_PREFETCH_PIDS="$MUVI_N8N_PREFETCH_PIDS $!"
		echo "n8n $v: installing in the background if needed (log: $log)" >&2
	done
}

muvi_n8n_prefetch_stop() {
	local pid
	for pid in $MUVI_N8N_PREFETCH_PIDS; do
		if kill -0 "$pid" 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; fi
	done
	MUVI_N8N_PREFETCH_PIDS=""
}
