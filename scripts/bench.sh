#!/usr/bin/env bash
# `npm run bench`: status calls per job, memory while downloading, throughput under a concurrent-job
# limit, per-item overhead (against the fake Muvi server) and Wait Mode Poll vs Muvi Webhook in a real
# https n8n (about 6 minutes). Prints the tables and
# writes bench/results.md. Options: --only=polling,memory,throughput,overhead,waitmodes and --no-write.
set -euo pipefail
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
cd "$MUVI_REPO"
# Benchmark 5 (wait modes) runs a real n8n with the packed package: prepared here unless --only leaves it out.
if [[ " $* " != *" --only="* || " $* " == *waitmodes* ]]; then
	source "$MUVI_REPO/scripts/n8n-env.sh"
	source "$MUVI_REPO/scripts/lib/n8n-instance.sh"
	pack_home="$(mktemp -d "${TMPDIR:-/tmp}/muvi-bench-pack-XXXXXX")"
	trap 'rm -rf "$pack_home"' EXIT
	npm run build --silent >"$pack_home/build.log" 2>&1 || { cat "$pack_home/build.log" >&2; exit 1; }
	tarball="$(muvi_pack "$pack_home/pack")"
	N8N_USER_FOLDER="$pack_home/n8n" muvi_install_package_tarball "$tarball"
	export MUVI_N8N_BIN MUVI_BENCH_NODES_DIR="$pack_home/n8n/.n8n/nodes"
fi
# n8n-core keeps its settings and binary data in N8N_USER_FOLDER: a throw-away one, never yours.
bench_home="$(mktemp -d "${TMPDIR:-/tmp}/muvi-bench-XXXXXX")"
trap 'rm -rf "$bench_home" "${pack_home:-}"' EXIT
export N8N_USER_FOLDER="$bench_home" N8N_ENCRYPTION_KEY="muvi-bench-only"
# bench/ts-register.cjs runs the TypeScript sources the way ts-jest does in the tests;
# --expose-gc lets the memory benchmark take its baseline after a full collection.
node --expose-gc -r ./bench/ts-register.cjs bench/run.ts "$@"
