#!/usr/bin/env bash
# The end-to-end suite (`npm run test:e2e`): the package as users get it, in a real n8n.
#
# Builds, packs (`npm pack`: only the published files), installs the tarball into a fresh n8n user
# folder the way n8n installs a community package, starts the fake Muvi API, then runs
# `jest -c jest.e2e.config.js`: its global setup imports the credential and every workflow from
# examples/ and test/e2e/workflows/, publishes the webhook workflows and starts `n8n start`; the
# tests run the workflows and send webhooks, and test/e2e/09-browser.test.ts drives the editor in
# Debian's Chromium (installed with apt-get when missing; screenshots in artifacts/browser/). Works on
# a fresh clone (installs Node.js 24 and n8n into the cache folder, see scripts/n8n-env.sh). Extra
# arguments go to jest, e.g. `-t trigger`.
#
# Env: MUVI_CACHE_DIR (default ~/.cache/n8n-nodes-muvi), MUVI_E2E_JOB_MS (fake job duration, default 2000),
# MUVI_E2E_KEEP=1 keeps the run folder (logs, n8n data) even when everything passed.
set -euo pipefail
# Node.js 24 and the dev dependencies first (quick, and a broken lockfile shows at once), then n8n.
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
source "$MUVI_REPO/scripts/n8n-env.sh"
source "$MUVI_REPO/scripts/lib/n8n-instance.sh"
source "$MUVI_REPO/scripts/lib/chromium.sh"
cd "$MUVI_REPO"
# The browser suite (test/e2e/09-browser.test.ts) drives Debian's Chromium (n8n 2.x only, see below).
if [ "$MUVI_N8N_LINE" -ge 2 ]; then muvi_ensure_chromium; fi

e2e_started=$SECONDS
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/muvi-e2e.XXXXXX")"
export MUVI_E2E_RUN_DIR="$run_dir"

e2e_cleanup() {
	local status=$?
	muvi_stop_group "$(cat "$run_dir/n8n-server.pid" 2>/dev/null || true)" 15
	muvi_stop_group "${MUVI_SIM_PID:-}" 5
	if [ "$status" -eq 0 ] && [ -z "${MUVI_E2E_KEEP:-}" ]; then
		rm -rf "$run_dir"
	else
		echo "e2e: logs and the n8n user folder are in $run_dir (n8n-server.log, n8n-cli.log, fake-muvi.log)" >&2
	fi
	echo "e2e (n8n ${MUVI_N8N_VERSION:-?}): $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - e2e_started)) s" >&2
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

echo "e2e: n8n $MUVI_N8N_VERSION on Node.js $(muvi_n8n_node_run node --version) from $MUVI_N8N_DIR (tooling: node $(node --version))" >&2
npm run build --silent >"$run_dir/build.log" 2>&1 || {
	cat "$run_dir/build.log" >&2
	exit 1
}
tarball="$(muvi_pack "$run_dir/pack")"
echo "e2e: packed $(basename "$tarball")" >&2
muvi_check_engines "$tarball"

read -r n8n_port server_broker_port cli_broker_port < <(muvi_free_ports 3)
MUVI_N8N_ENCRYPTION_KEY="muvi-e2e-fixed-encryption-key" muvi_n8n_instance_env "$run_dir/n8n" "$n8n_port" "$server_broker_port"
export MUVI_E2E_CLI_BROKER_PORT="$cli_broker_port"
export MUVI_N8N_BIN
muvi_install_package_tarball "$tarball"
echo "e2e: installed into $N8N_USER_FOLDER/.n8n/nodes/node_modules" >&2

MUVI_E2E_API_KEY="pb_test_e2e_$(node -p "require('crypto').randomBytes(12).toString('hex')")"
MUVI_E2E_WEBHOOK_SECRET="whsec_e2e_$(node -p "require('crypto').randomBytes(12).toString('hex')")"
MUVI_E2E_JOB_MS="${MUVI_E2E_JOB_MS:-2000}"
export MUVI_E2E_API_KEY MUVI_E2E_WEBHOOK_SECRET MUVI_E2E_JOB_MS
muvi_start_simulator "$run_dir/fake-muvi.log" --port 0 --api-key "$MUVI_E2E_API_KEY" \
	--webhook-secret "$MUVI_E2E_WEBHOOK_SECRET" --job-ms "$MUVI_E2E_JOB_MS"
echo "e2e: fake Muvi API at $MUVI_SIM_URL (CDN $MUVI_SIM_CDN_URL); n8n will listen on 127.0.0.1:$n8n_port" >&2

# The browser part checks n8n 2.x's editor (its node panel, dialogs and wording), so on 1.x the suite
# runs without it (README: "Tested n8n versions").
jest_extra=()
if [ "$MUVI_N8N_LINE" -lt 2 ]; then
	echo "e2e: n8n $MUVI_N8N_VERSION is a 1.x: test/e2e/09-browser.test.ts (n8n 2.x's editor) does not run" >&2
	jest_extra+=(--testPathIgnorePatterns '/09-browser\.test\.ts$')
fi
# the caller's arguments first: a path pattern after --testPathIgnorePatterns would be taken as one more ignore pattern
npx jest -c jest.e2e.config.js "$@" "${jest_extra[@]}"
