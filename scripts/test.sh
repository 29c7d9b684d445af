#!/usr/bin/env bash
# The README's test command (`npm test`): unit, engine-level integration and fault tests, then the
# end-to-end suite in a real n8n of each tested line: 2.41.1 (Node.js 24), then 1.123.81 (Node.js 22), then
# the queue-mode suite (n8n 2.41.1 scaled out: Redis, Postgres, workers, webhook processes).
# Works on a fresh clone: it installs Node.js, the dev dependencies, n8n, and Debian's redis-server and
# postgresql it needs; the n8n installs start in the background first (scripts/lib/n8n-prefetch.sh) so a
# cold one overlaps jest. Extra arguments go to jest (and skip the real-n8n suites), e.g. `npm test -- test/unit`.
#
# Env: MUVI_E2E_N8N_VERSIONS (default "2.41.1 1.123.81"), or N8N_VERSION for a single one.
set -euo pipefail
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
cd "$MUVI_REPO"

if [ $# -gt 0 ]; then
	exec npx jest "$@"
fi

if [ -n "${N8N_VERSION:-}" ]; then
	versions="$N8N_VERSION"
else
	versions="${MUVI_E2E_N8N_VERSIONS:-2.41.1 1.123.81}"
fi
source "$MUVI_REPO/scripts/lib/n8n-prefetch.sh"
trap muvi_n8n_prefetch_stop EXIT
trap "exit 130" INT TERM
# shellcheck disable=SC2086 # a list of versions
muvi_n8n_prefetch $versions

started=$SECONDS
npx jest
echo "test: jest passed in $((SECONDS - started)) s" >&2

for v in $versions; do
	started=$SECONDS
	N8N_VERSION="$v" bash scripts/e2e.sh
	echo "test: e2e on n8n $v passed in $((SECONDS - started)) s (including any wait for its install)" >&2
done
# the queue-mode suite runs on its own n8n (the default, 2.41.1), whatever N8N_VERSION says
env -u N8N_VERSION -u MUVI_N8N_VERSION bash scripts/queue.sh
