#!/usr/bin/env bash
# `npm run bench`: status calls per job, memory while downloading, throughput under a concurrent-job
# limit and per-item overhead, against the fake Muvi server (about 3 minutes). Prints the tables and
# writes bench/results.md. Options: --only=polling,memory,throughput,overhead and --no-write.
set -euo pipefail
source "$(dirname "$0")/node24.sh"
source "$MUVI_REPO/scripts/deps.sh"
cd "$MUVI_REPO"
# n8n-core keeps its settings and binary data in N8N_USER_FOLDER: a throw-away one, never yours.
bench_home="$(mktemp -d "${TMPDIR:-/tmp}/muvi-bench-XXXXXX")"
trap 'rm -rf "$bench_home"' EXIT
export N8N_USER_FOLDER="$bench_home" N8N_ENCRYPTION_KEY="muvi-bench-only"
# bench/ts-register.cjs runs the TypeScript sources the way ts-jest does in the tests;
# --expose-gc lets the memory benchmark take its baseline after a full collection.
node --expose-gc -r ./bench/ts-register.cjs bench/run.ts "$@"
