#!/usr/bin/env bash
# The one-command demo (`npm run demo`): n8n with this package, a credential and the example workflows,
# against the Muvi SIMULATOR (a local fake of the Muvi API: no real videos, no charges, no API key).
#
# Installs what it needs on a fresh clone (Node.js 24 and n8n into the cache folder, the dev
# dependencies), builds and packs the package, installs it into a demo n8n user folder the way n8n
# installs community packages, starts the simulator and `n8n start`, creates the owner account, runs
# one example so you can watch a job go from submit to a finished video with its cost, and prints
# what to open and click. Ctrl-C stops everything it started.
#
#   npm run demo                       simulator (default)
#   MUVI_API_KEY=pb_... npm run demo   the real Muvi API instead (jobs you run are charged)
#   npm run demo -- --fresh            start from an empty n8n user folder
#
# Env: MUVI_DEMO_PORT (n8n, default 5678), MUVI_SIMULATOR_PORT (default 4010), MUVI_SIMULATOR_JOB_MS
# (simulated job duration, default 8000), MUVI_DEMO_EMAIL / MUVI_DEMO_PASSWORD (owner login),
# MUVI_API_KEY, MUVI_BASE_URL, MUVI_WEBHOOK_SECRET (real API), MUVI_CACHE_DIR (default ~/.cache/n8n-nodes-muvi).
set -euo pipefail

fresh=0
for arg in "$@"; do
	case "$arg" in
	--fresh) fresh=1 ;;
	-h | --help)
		sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "demo: unknown argument $arg (try --help)" >&2
		exit 2
		;;
	esac
done

say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }
demo_started=$SECONDS

# Node.js 24 and the dev dependencies first (quick, and a broken lockfile shows at once), then n8n.
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
source "$MUVI_REPO/scripts/n8n-env.sh"
source "$MUVI_REPO/scripts/lib/n8n-instance.sh"
cd "$MUVI_REPO"

port="${MUVI_DEMO_PORT:-5678}"
sim_port="${MUVI_SIMULATOR_PORT:-4010}"
sim_job_ms="${MUVI_SIMULATOR_JOB_MS:-8000}"
email="${MUVI_DEMO_EMAIL:-demo@example.com}"
password="${MUVI_DEMO_PASSWORD:-MuviDemo-2026}"
real_api=0
[ -n "${MUVI_API_KEY:-}" ] && real_api=1

# One n8n folder per n8n line: a 2.x database cannot be opened by n8n 1.x.
demo_dir="$MUVI_CACHE_DIR/demo"
[ "${MUVI_N8N_LINE:-2}" -ge 2 ] || demo_dir="$MUVI_CACHE_DIR/demo-n8n$MUVI_N8N_LINE"
[ "$fresh" = 1 ] && rm -rf "$demo_dir"
mkdir -p "$demo_dir"

for p in "$port" $([ "$real_api" = 0 ] && echo "$sim_port"); do
	if muvi_port_busy "$p"; then
		echo "demo: port $p on 127.0.0.1 is in use (another n8n or demo?). Stop it, or pick other ports with MUVI_DEMO_PORT / MUVI_SIMULATOR_PORT." >&2
		exit 1
	fi
done

n8n_pid=""
log_pid=""
MUVI_SIM_PID=""
demo_stop() {
	trap - INT TERM EXIT
	echo
	say "Stopping ..."
	muvi_stop_group "$n8n_pid" 20
	muvi_stop_group "$MUVI_SIM_PID" 5
	[ -n "$log_pid" ] && kill "$log_pid" 2>/dev/null
	rm -f "$demo_dir/demo.json"
	say "Stopped n8n$([ "$real_api" = 0 ] && echo ' and the Muvi simulator'). Your n8n data stays in $demo_dir/n8n (npm run demo -- --fresh starts over)."
}
trap demo_stop EXIT
trap 'exit 130' INT TERM

say "Building and packing n8n-nodes-muvi ..."
npm run build --silent >"$demo_dir/build.log" 2>&1 || {
	cat "$demo_dir/build.log" >&2
	exit 1
}
tarball="$(muvi_pack "$demo_dir/pack")"

read -r cli_broker_port < <(muvi_free_ports 1)
muvi_n8n_instance_env "$demo_dir/n8n" "$port" "${MUVI_DEMO_BROKER_PORT:-$((port + 1))}"
muvi_install_package_tarball "$tarball"
say "Installed $(basename "$tarball") into $N8N_USER_FOLDER/.n8n/nodes (as n8n installs community packages)."

credential_id="muviCredential01"
if [ "$real_api" = 1 ]; then
	credential_name="Muvi (real API: jobs are charged)"
	base_url="${MUVI_BASE_URL:-https://api.muvi.video}"
	api_key="$MUVI_API_KEY"
	webhook_secret="${MUVI_WEBHOOK_SECRET:-}"
	sim_url=""
else
	credential_name="Muvi Simulator (local, no charges)"
	api_key="pb_simulator_local_demo_key"
	webhook_secret="whsec_simulator_local_demo_secret"
	muvi_start_simulator "$demo_dir/simulator.log" --port "$sim_port" --api-key "$api_key" \
		--webhook-secret "$webhook_secret" --job-ms "$sim_job_ms"
	base_url="$MUVI_SIM_URL"
	sim_url="$MUVI_SIM_URL"
	say "Muvi SIMULATOR running at $MUVI_SIM_URL: a local fake of the Muvi API. No real videos, no charges."
	# its request log, live, so you can watch what the node sends
	tail -n 0 -F --pid="$MUVI_SIM_PID" "$demo_dir/simulator.log" 2>/dev/null | grep --line-buffered -v ' control ' |
		sed -u 's/^/  [Muvi simulator] /' &
	log_pid=$!
fi

say "Importing the credential \"$credential_name\" and the example workflows ..."
(
	umask 077
	node -e '
		const [file, id, name, apiKey, baseUrl, webhookSecret] = process.argv.slice(1);
		require("fs").writeFileSync(file, JSON.stringify([{ id, name, type: "muviApi", data: { apiKey, baseUrl, webhookSecret } }]));
	' "$demo_dir/credential.json" "$credential_id" "$credential_name" "$api_key" "$base_url" "$webhook_secret"
)
import_log="$demo_dir/import.log"
: >"$import_log"
n8n_cli() {
	N8N_RUNNERS_BROKER_PORT="$cli_broker_port" "$MUVI_N8N_BIN" "$@" >>"$import_log" 2>&1 || {
		rm -f "$demo_dir/credential.json"
		echo "demo: n8n $* failed; its output:" >&2
		tail -n 40 "$import_log" >&2
		exit 1
	}
}
n8n_cli import:credentials --input="$demo_dir/credential.json"
rm -f "$demo_dir/credential.json"
n8n_cli import:workflow --separate --input="$MUVI_REPO/examples"
trigger_webhook_id="$(node -e '
	const fs = require("fs"), dir = process.argv[1];
	for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
		const wf = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
		const t = wf.nodes.find((n) => n.type === "n8n-nodes-muvi.muviVideoTrigger");
		if (t) console.log(wf.id + " " + t.webhookId);
	}
' "$MUVI_REPO/examples")"
while read -r wf_id _; do
	# shellcheck disable=SC2046 # n8n 2.x: publish:workflow; 1.x: update:workflow --active=true
	[ -n "$wf_id" ] && n8n_cli $(muvi_n8n_activate_args "$wf_id")
done <<<"$trigger_webhook_id"
webhook_url="http://127.0.0.1:$port/webhook/$(echo "$trigger_webhook_id" | head -n 1 | cut -d' ' -f2)/muvi"

say "Starting n8n $MUVI_N8N_VERSION on http://127.0.0.1:$port (log: $demo_dir/n8n.log) ..."
setsid "$MUVI_N8N_BIN" start >"$demo_dir/n8n.log" 2>&1 </dev/null &
n8n_pid=$!
# n8n 1.x answers readiness before its REST API is mounted: wait for both.
if ! muvi_wait_http "http://127.0.0.1:$port/healthz/readiness" 120 "$n8n_pid" ||
	! muvi_wait_http "http://127.0.0.1:$port/rest/settings" 60 "$n8n_pid"; then
	echo "demo: n8n did not start; the end of its log:" >&2
	tail -n 40 "$demo_dir/n8n.log" >&2
	exit 1
fi

node -e '
	const [file, ...v] = process.argv.slice(1);
	const k = ["n8nUrl", "email", "password", "webhookUrl", "simulatorUrl", "simulatorApiKey"];
	require("fs").writeFileSync(file, JSON.stringify(Object.fromEntries(k.map((key, i) => [key, v[i]])), null, 2), { mode: 0o600 });
' "$demo_dir/demo.json" "http://127.0.0.1:$port" "$email" "$password" "$webhook_url" "$sim_url" "$([ "$real_api" = 0 ] && echo "$api_key")"
owner_state="$(node "$MUVI_REPO/scripts/lib/demo.mjs" owner)"

url="http://127.0.0.1:$port"
echo
printf '\033[1m'
cat <<EOF
================================================================================
 n8n-nodes-muvi demo is ready ($((SECONDS - demo_started)) s)
================================================================================
EOF
printf '\033[0m'
if [ "$real_api" = 1 ]; then
	cat <<EOF
 Muvi API : $base_url  (REAL API: every job you run is charged to your account;
            Kling 3.0 Standard 5 s = \$0.42, Kling 3.0 Pro motion control = \$0.05)
EOF
else
	cat <<EOF
 Muvi API : Muvi SIMULATOR at $MUVI_SIM_URL (local fake: no real videos, no charges;
            a job takes $((sim_job_ms / 1000)) s). Set MUVI_API_KEY to use the real API instead.
EOF
fi
if [ "$owner_state" = created ]; then
	login=" Sign in  : $email / $password  (owner account created for this demo)"
else
	login=" Sign in  : the owner account of $demo_dir/n8n (created as $email / $password by an earlier run, unless you changed it)"
fi
cat <<EOF
 Editor   : $url
$login

 Then:
  1. Open "Muvi: image to video with Kling 3.0 Standard".
  2. Click "Execute workflow". The Muvi Video node submits the job, waits for it and
     downloads the video; open the node to see status "completed", costUsd 0.42 and
     the MP4 under Binary.
  3. "Muvi: motion control with Kling 3.0 Pro" does the same for motion control (\$0.05).
  4. "Muvi: when a video is finished (webhook)" is published: its Production URL is
     $webhook_url
EOF
[ "$real_api" = 1 ] && cat <<EOF
     Muvi only calls public https URLs: to receive real webhooks, put n8n behind an
     https tunnel or proxy and set WEBHOOK_URL before starting.
EOF
[ "$real_api" = 0 ] && cat <<EOF
     Fire it with a signed webhook from the simulator (second terminal):
       node scripts/lib/demo.mjs webhook
EOF
echo " Credential \"$credential_name\" is already set up in every example."
echo " Ctrl-C stops n8n$([ "$real_api" = 0 ] && echo ' and the simulator')."
echo "================================================================================"
echo

if [ "$real_api" = 0 ]; then
	say "Meanwhile, running the image-to-video example once (n8n CLI) so you can watch it work:"
	smoke_out="$demo_dir/first-run.log"
	if N8N_RUNNERS_BROKER_PORT="$cli_broker_port" "$MUVI_N8N_BIN" execute --id=muviExKlingI2v01 --rawOutput >"$smoke_out" 2>&1; then
		node "$MUVI_REPO/scripts/lib/demo.mjs" summary "$smoke_out" "Generate video" || true
	else
		node "$MUVI_REPO/scripts/lib/demo.mjs" summary "$smoke_out" "Generate video" || tail -n 20 "$smoke_out"
	fi
	say "And the webhook trigger: the simulator finishes a job and calls n8n, as Muvi would:"
	node "$MUVI_REPO/scripts/lib/demo.mjs" webhook || true
	say "Both runs are in the editor under Overview → Executions. Now try it yourself at $url"
fi

wait "$n8n_pid" || true
say "n8n exited; the end of its log:"
tail -n 20 "$demo_dir/n8n.log"
