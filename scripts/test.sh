#!/usr/bin/env bash
# The README's test command (`npm test`): unit, engine-level integration and fault tests, then the
# end-to-end suite in a real n8n, then the queue-mode suite (n8n scaled out: Redis, Postgres, workers,
# webhook processes). Works on a fresh clone: it installs Node.js 24, the dev dependencies, n8n, and
# Debian's redis-server and postgresql it needs. Extra arguments go to jest (and skip the real-n8n
# suites), e.g. `npm test -- test/unit`.
set -euo pipefail
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
cd "$MUVI_REPO"
npx jest "$@"
if [ $# -eq 0 ]; then
	bash scripts/e2e.sh
	bash scripts/queue.sh
fi
