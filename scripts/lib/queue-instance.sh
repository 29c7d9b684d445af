# Sourced by scripts/queue.sh after scripts/lib/n8n-instance.sh: the pieces of an n8n in queue mode
# (Redis, Postgres, a main process, workers, webhook processes), all on 127.0.0.1 on free ports, with
# their data under one run folder, each started in its own process group with its PID in
# <run>/pids/<name>.pid so that one cleanup stops everything that was started, by PID.

MUVI_PG_BIN="${MUVI_PG_BIN:-}"

# Installs Debian's redis-server and postgresql when their binaries are missing (apt-get, as root or
# through sudo). Prints what it did. MUVI_QUEUE_FORCE_APT=1 runs apt-get even when both are present
# (a no-op install then: checks this path on a machine that has them).
muvi_queue_packages() {
	local missing=()
	if [ -n "${MUVI_QUEUE_FORCE_APT:-}" ] || ! command -v redis-server >/dev/null 2>&1; then missing+=(redis-server); fi
	if [ -n "${MUVI_QUEUE_FORCE_APT:-}" ] || ! muvi_pg_bin_dir >/dev/null 2>&1; then missing+=(postgresql); fi
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || {
			echo "queue: ${missing[*]} missing and neither root nor sudo to install them" >&2
			return 1
		}
		sudo=(sudo -n)
	fi
	echo "queue: apt-get install ${missing[*]} ..." >&2
	local started=$SECONDS
	# Debian's postgresql package creates and starts a cluster on 5432 where an init system runs;
	# policy-rc.d answering 101 keeps services from starting (we start our own, on free ports).
	local policy=/usr/sbin/policy-rc.d created_policy=""
	if [ ! -e "$policy" ] && [ "$(id -u)" -eq 0 ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
	fi
	local status=0
	{ "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
		>"${MUVI_QUEUE_APT_LOG:-/dev/null}" 2>&1 || status=$?
	[ -n "$created_policy" ] && rm -f "$policy"
	if [ "$status" -ne 0 ]; then
		echo "queue: apt-get failed ($status)${MUVI_QUEUE_APT_LOG:+, see $MUVI_QUEUE_APT_LOG}" >&2
		return 1
	fi
	echo "queue: installed ${missing[*]} in $((SECONDS - started)) s" >&2
}

# The folder with Postgres' server binaries (initdb, pg_ctl, postgres): the newest under /usr/lib/postgresql.
muvi_pg_bin_dir() {
	if [ -n "$MUVI_PG_BIN" ] && [ -x "$MUVI_PG_BIN/initdb" ]; then
		echo "$MUVI_PG_BIN"
		return 0
	fi
	local dir
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
	[ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
	echo "$dir"
}

# Postgres refuses to run as root: as root, its commands run as the `postgres` user (Debian's package
# creates it; created here if missing).
muvi_pg_as_user() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
		return
	fi
	if ! id postgres >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin postgres || return 1
	fi
	runuser -u postgres -- "$@"
}

# Writes <run>/pids/<name>.pid.
muvi_queue_record_pid() {
	mkdir -p "$MUVI_QUEUE_RUN_DIR/pids" && echo "$2" >"$MUVI_QUEUE_RUN_DIR/pids/$1.pid"
}

# Redis on 127.0.0.1:$1, no persistence, data folder <run>/redis. Sets MUVI_REDIS_PORT.
muvi_start_redis() {
	local port="$1" dir="$MUVI_QUEUE_RUN_DIR/redis" i
	mkdir -p "$dir"
	setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
		--protected-mode yes --daemonize no --logfile "$MUVI_QUEUE_RUN_DIR/redis.log" </dev/null >/dev/null 2>&1 &
	local pid=$!
	muvi_queue_record_pid redis "$pid"
	for ((i = 0; i < 80; i++)); do
		if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
			MUVI_REDIS_PORT="$port"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	echo "queue: Redis did not start; its log:" >&2
	tail -n 20 "$MUVI_QUEUE_RUN_DIR/redis.log" >&2 2>/dev/null
	return 1
}

# Postgres on 127.0.0.1:$1 with a fresh cluster in <run>/postgres (socket in the same folder, trust
# authentication: loopback only, a throwaway cluster), and a database `n8n` owned by role `n8n`.
# Sets MUVI_PG_PORT. initdb is the slow part of a first start.
muvi_start_postgres() {
	local port="$1" bin dir="$MUVI_QUEUE_RUN_DIR/postgres" started=$SECONDS
	bin="$(muvi_pg_bin_dir)" || {
		echo "queue: no Postgres server binaries under /usr/lib/postgresql" >&2
		return 1
	}
	mkdir -p "$dir"
	# the postgres user must reach the folder; the run folder from mktemp is 0700
	chmod 0755 "$MUVI_QUEUE_RUN_DIR"
	muvi_pg_as_user true || return 1
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir" || return 1; fi
	muvi_pg_as_user test -w "$dir" || {
		echo "queue: the postgres user cannot reach $dir (a parent folder is private?); set TMPDIR to a folder it can reach, e.g. /tmp" >&2
		return 1
	}
	muvi_pg_as_user "$bin/initdb" -D "$dir/data" -U n8n --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
		>"$MUVI_QUEUE_RUN_DIR/postgres-initdb.log" 2>&1 || {
		echo "queue: initdb failed:" >&2
		tail -n 20 "$MUVI_QUEUE_RUN_DIR/postgres-initdb.log" >&2
		return 1
	}
	# fsync off: a test database that is thrown away afterwards
	# the server log is written by the postgres user, so it lives in its folder
	muvi_pg_as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null || {
		echo "queue: Postgres did not start; its log:" >&2
		tail -n 30 "$dir/postgres.log" >&2
		return 1
	}
	muvi_queue_record_pid postgres "$(head -n 1 "$dir/data/postmaster.pid")"
	"$bin/createdb" -h 127.0.0.1 -p "$port" -U n8n n8n || return 1
	MUVI_PG_PORT="$port"
	echo "queue: Postgres $("$bin/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port in $((SECONDS - started)) s" >&2
}

# The environment shared by every n8n process of the queue-mode instance (on top of
# muvi_n8n_instance_env): Postgres, Redis, queue mode, n8n's default binary data mode.
muvi_queue_n8n_env() {
	export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT="$MUVI_PG_PORT"
	export DB_POSTGRESDB_DATABASE=n8n DB_POSTGRESDB_USER=n8n DB_POSTGRESDB_PASSWORD=""
	export EXECUTIONS_MODE=queue QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT="$MUVI_REDIS_PORT"
	# what a user who sets nothing gets (n8n picks `database` in queue mode), unless
	# MUVI_QUEUE_BINARY_MODE asks for another (default, filesystem) to compare
	if [ -n "${MUVI_QUEUE_BINARY_MODE:-}" ]; then
		export N8N_DEFAULT_BINARY_DATA_MODE="$MUVI_QUEUE_BINARY_MODE"
	else
		unset N8N_DEFAULT_BINARY_DATA_MODE
	fi
	# manual runs from the editor also go to the workers, as in a scaled setup
	export OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true
}

# Writes <run>/bin/<name>.sh: exports the environment of n8n process <name> (user folder
# <run>/<name>, HTTP port $3, task broker port $4) and execs `n8n $2 ...`. The launcher is what the
# script and the tests use to (re)start a process.
#   $1 name  $2 command (start|worker|webhook)  $3 port  $4 broker port  $5... extra n8n arguments
muvi_queue_launcher() {
	local name="$1" command="$2" port="$3" broker="$4"
	shift 4
	local file="$MUVI_QUEUE_RUN_DIR/bin/$name.sh"
	mkdir -p "$MUVI_QUEUE_RUN_DIR/bin"
	{
		echo '#!/usr/bin/env bash'
		echo "# n8n $command ($name) of the queue-mode suite; written by scripts/lib/queue-instance.sh"
		export -p | grep -E '^declare -x (N8N_|DB_|QUEUE_|EXECUTIONS_|OFFLOAD_|PATH=|HOME=|npm_config_nodedir=)'
		echo "export N8N_USER_FOLDER='$MUVI_QUEUE_RUN_DIR/$name' N8N_PORT='$port' N8N_RUNNERS_BROKER_PORT='$broker'"
		echo "export N8N_WEBHOOK_URL='http://127.0.0.1:$port/' WEBHOOK_URL='http://127.0.0.1:$port/'"
		if [ "$command" = worker ]; then
			# the worker's own HTTP server (health checks) on the process's port
			echo "export QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT='$port' N8N_WORKER_SERVER_ADDRESS=127.0.0.1"
		fi
		printf 'exec %q %q' "$MUVI_N8N_BIN" "$command"
		printf ' %q' "$@"
		echo
	} >"$file"
	chmod +x "$file"
}

# Starts <run>/bin/$1.sh in its own process group, output appended to <run>/$1.log; records its PID.
muvi_queue_spawn() {
	local name="$1"
	setsid bash "$MUVI_QUEUE_RUN_DIR/bin/$name.sh" >>"$MUVI_QUEUE_RUN_DIR/$name.log" 2>&1 </dev/null &
	muvi_queue_record_pid "$name" "$!"
	# the tests may kill it on purpose: no "Killed" job notice from this shell
	disown "$!"
}

# Waits until process $1 answers 200 on http://127.0.0.1:$2$3, at most $4 seconds.
muvi_queue_wait_ready() {
	local name="$1" port="$2" path="$3" limit="$4" pid
	pid="$(cat "$MUVI_QUEUE_RUN_DIR/pids/$name.pid")"
	if muvi_wait_http "http://127.0.0.1:$port$path" "$limit" "$pid"; then return 0; fi
	echo "queue: $name was not ready on port $port after $limit s; the end of its log:" >&2
	tail -n 60 "$MUVI_QUEUE_RUN_DIR/$name.log" >&2
	return 1
}

# Stops every process with a PID file in <run>/pids: n8n processes first (SIGTERM to the group, then
# SIGKILL), then Redis, and Postgres with a fast shutdown (SIGINT to the postmaster).
muvi_queue_stop_all() {
	local dir="$MUVI_QUEUE_RUN_DIR/pids" file name pid i
	[ -d "$dir" ] || return 0
	local pids=()
	for file in "$dir"/*.pid; do
		[ -e "$file" ] || continue
		name="$(basename "$file" .pid)"
		case "$name" in postgres | redis) continue ;; esac
		pid="$(cat "$file")"
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
		pids+=("$pid")
	done
	for pid in "${pids[@]}"; do
		for ((i = 0; i < 60; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
	muvi_stop_group "$(cat "$dir/redis.pid" 2>/dev/null || true)" 5
	pid="$(cat "$dir/postgres.pid" 2>/dev/null || true)"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -INT "$pid" 2>/dev/null
		for ((i = 0; i < 60; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	return 0
}
