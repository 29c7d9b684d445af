#!/usr/bin/env bash
# The queue-mode suite (`npm run test:queue`, also run by `npm test`): the packed package in n8n as it
# scales out. Debian's Redis and Postgres (apt-get installs them when missing), an n8n main process,
# two workers (`n8n worker --concurrency=3`) and two webhook processes (`n8n webhook`), each with its
# own user folder and the package installed the way n8n installs a community package, all on
# 127.0.0.1 on free ports, beside the fake Muvi API. Then `jest -c jest.queue.config.js` runs the cases
# (test/queue/), and everything started here is stopped by PID at the end.
#
# Env: MUVI_QUEUE_FORCE_APT=1 runs the apt-get step even when Redis and Postgres are there;
# MUVI_QUEUE_BINARY_MODE=default|filesystem runs every process with that binary data mode instead of
# n8n's queue-mode default (database; filesystem is expected to fail: main cannot read a worker's disk);
# MUVI_QUEUE_KEEP=1 keeps the run folder (logs of every process, the Postgres cluster);
# Extra arguments go to jest, e.g. `-t "plan limit"`.
set -euo pipefail
queue_started=$SECONDS
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
source "$MUVI_REPO/scripts/n8n-env.sh"
source "$MUVI_REPO/scripts/lib/n8n-instance.sh"
source "$MUVI_REPO/scripts/lib/queue-instance.sh"
cd "$MUVI_REPO"

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/muvi-queue.XXXXXX")"
export MUVI_QUEUE_RUN_DIR="$run_dir"
timings="$run_dir/timings.txt"
phase_started=$queue_started
phase() {
	echo "$1: $((SECONDS - phase_started)) s" >>"$timings"
	echo "queue: $1 done in $((SECONDS - phase_started)) s" >&2
	phase_started=$SECONDS
}

queue_cleanup() {
	local status=$?
	trap - EXIT INT TERM
	muvi_queue_stop_all
	muvi_stop_group "${MUVI_SIM_PID:-}" 5
	echo "total: $((SECONDS - queue_started)) s" >>"$timings"
	if [ -s "$run_dir/numbers.json" ]; then
		echo "queue: numbers measured by the cases:" >&2
		cat "$run_dir/numbers.json" >&2
		echo >&2
	fi
	echo "queue: timings: $(paste -sd ';' "$timings" | sed 's/;/; /g')" >&2
	if [ "$status" -eq 0 ] && [ -z "${MUVI_QUEUE_KEEP:-}" ]; then
		rm -rf "$run_dir"
	else
		echo "queue: logs of every process are in $run_dir (*.log)" >&2
	fi
	echo "queue: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - queue_started)) s" >&2
	exit "$status"
}
trap queue_cleanup EXIT
trap 'exit 130' INT TERM
phase "node, dev dependencies and n8n $MUVI_N8N_VERSION"

MUVI_QUEUE_APT_LOG="$run_dir/apt.log" muvi_queue_packages
phase "redis-server and postgresql present"

npm run build --silent >"$run_dir/build.log" 2>&1 || {
	cat "$run_dir/build.log" >&2
	exit 1
}
tarball="$(muvi_pack "$run_dir/pack")"
phase "build and pack ($(basename "$tarball"))"

read -r redis_port pg_port cli_broker \
	main_port main_broker worker1_port worker1_broker worker2_port worker2_broker \
	webhook1_port webhook1_broker webhook2_port webhook2_broker < <(muvi_free_ports 13)

muvi_start_redis "$redis_port"
muvi_start_postgres "$pg_port"
phase "Redis and Postgres started (fresh cluster)"

# Every process of one instance shares the encryption key, the database and Redis.
MUVI_N8N_ENCRYPTION_KEY="muvi-queue-fixed-encryption-key" muvi_n8n_instance_env "$run_dir/main" "$main_port" "$main_broker"
muvi_queue_n8n_env
export MUVI_N8N_BIN
# Each process has its own user folder, as on separate machines: the package is installed in each.
for name in main worker1 worker2 webhook1 webhook2; do
	N8N_USER_FOLDER="$run_dir/$name" muvi_install_package_tarball "$tarball"
done
phase "package installed into 5 user folders"

MUVI_E2E_API_KEY="pb_test_queue_$(node -p "require('crypto').randomBytes(12).toString('hex')")"
MUVI_E2E_WEBHOOK_SECRET="whsec_queue_$(node -p "require('crypto').randomBytes(12).toString('hex')")"
MUVI_E2E_JOB_MS="${MUVI_E2E_JOB_MS:-2000}"
export MUVI_E2E_API_KEY MUVI_E2E_WEBHOOK_SECRET MUVI_E2E_JOB_MS
muvi_start_simulator "$run_dir/fake-muvi.log" --port 0 --api-key "$MUVI_E2E_API_KEY" \
	--webhook-secret "$MUVI_E2E_WEBHOOK_SECRET" --job-ms "$MUVI_E2E_JOB_MS"
echo "queue: fake Muvi API at $MUVI_SIM_URL" >&2

# The credential and the workflows, imported and published before any server starts (they read them at start).
cli() {
	local status=0
	echo "===== n8n $* =====" >>"$run_dir/n8n-cli.log"
	N8N_RUNNERS_BROKER_PORT="$cli_broker" "$MUVI_N8N_BIN" "$@" >>"$run_dir/n8n-cli.log" 2>&1 || status=$?
	if [ "$status" -ne 0 ]; then
		echo "queue: n8n $* failed ($status); the end of $run_dir/n8n-cli.log:" >&2
		tail -n 40 "$run_dir/n8n-cli.log" >&2
		return "$status"
	fi
}
node -e "
	const fs = require('fs');
	fs.writeFileSync(process.argv[1], JSON.stringify([{ id: 'muviCredential01', name: 'Muvi Simulator (queue suite, no charges)', type: 'muviApi',
		data: { apiKey: process.env.MUVI_E2E_API_KEY, baseUrl: process.env.MUVI_SIM_URL, webhookSecret: process.env.MUVI_E2E_WEBHOOK_SECRET } }]), { mode: 0o600 });
" "$run_dir/credential.json"
cli import:credentials --input="$run_dir/credential.json"
mkdir -p "$run_dir/workflows"
queue_workflows=(test/queue/workflows/*.json examples/video-finished-webhook.json)
cp "${queue_workflows[@]}" "$run_dir/workflows/"
cli import:workflow --separate --input="$run_dir/workflows"
for file in "${queue_workflows[@]}"; do
	cli publish:workflow --id="$(node -p "require('./$file').id")"
done
phase "Postgres schema, credential and ${#queue_workflows[@]} workflows (n8n CLI)"

muvi_queue_launcher main start "$main_port" "$main_broker"
muvi_queue_launcher worker1 worker "$worker1_port" "$worker1_broker" --concurrency=3
muvi_queue_launcher worker2 worker "$worker2_port" "$worker2_broker" --concurrency=3
muvi_queue_launcher webhook1 webhook "$webhook1_port" "$webhook1_broker"
muvi_queue_launcher webhook2 webhook "$webhook2_port" "$webhook2_broker"
muvi_queue_spawn main
muvi_queue_wait_ready main "$main_port" /healthz/readiness 180
phase "n8n main ready"
for name in worker1 worker2 webhook1 webhook2; do muvi_queue_spawn "$name"; done
muvi_queue_wait_ready worker1 "$worker1_port" /healthz/readiness 180
muvi_queue_wait_ready worker2 "$worker2_port" /healthz/readiness 180
muvi_queue_wait_ready webhook1 "$webhook1_port" /healthz/readiness 180
muvi_queue_wait_ready webhook2 "$webhook2_port" /healthz/readiness 180
phase "2 workers and 2 webhook processes ready"

# What the tests need (names shared with the e2e helpers they reuse).
export MUVI_E2E_RUN_DIR="$run_dir" MUVI_E2E_CLI_BROKER_PORT="$cli_broker" N8N_PORT="$main_port"
export MUVI_QUEUE_WORKERS="worker1:$worker1_port worker2:$worker2_port"
export MUVI_QUEUE_WEBHOOKS="webhook1:$webhook1_port webhook2:$webhook2_port"
npx jest -c jest.queue.config.js "$@"
phase "queue-mode tests"
