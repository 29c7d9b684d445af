# Sourced after scripts/n8n-env.sh by e2e.sh and demo.sh: a throwaway n8n instance with this package
# installed the way n8n installs a community package, and the Muvi simulator beside it.

# $1 (default 1) distinct free TCP ports on 127.0.0.1, space-separated. Picked at random below the
# kernel's ephemeral range (32768+ on Linux): a port from that range can be taken meanwhile by the
# local end of any outgoing connection, and n8n then fails with "port already in use".
muvi_free_ports() {
	node -e "
		const net = require('net'), n = Number(process.argv[1] || 1), held = [];
		const tryPort = (tries) => {
			if (held.length === n) {
				console.log(held.map((s) => s.address().port).join(' '));
				return held.forEach((s) => s.close());
			}
			if (tries > 200) { console.error('no free port found'); process.exit(1); }
			const port = 20000 + Math.floor(Math.random() * 12000);
			const s = net.createServer();
			s.once('error', () => tryPort(tries + 1));
			s.listen(port, '127.0.0.1', () => { held.push(s); tryPort(tries + 1); });
		};
		tryPort(0);
	" "${1:-1}"
}

# True when something already listens on 127.0.0.1:$1.
muvi_port_busy() {
	node -e "require('net').connect($1, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"
}

# Environment of one n8n instance: user folder $1, HTTP port $2, task broker port $3. Offline, quiet,
# loopback only, fixed encryption key, SQLite. Every n8n CLI command run with it uses that instance
# (a command run beside a running server needs its own N8N_RUNNERS_BROKER_PORT).
muvi_n8n_instance_env() {
	local folder="$1" port="$2" broker="$3"
	# Settings from the caller's shell must not point the instance at another database or mode.
	unset N8N_CONFIG_FILES DB_POSTGRESDB_HOST DB_POSTGRESDB_DATABASE QUEUE_BULL_REDIS_HOST N8N_PATH
	export N8N_USER_FOLDER="$folder"
	export DB_TYPE=sqlite EXECUTIONS_MODE=regular
	export N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http N8N_PORT="$port"
	unset WEBHOOK_URL
	export N8N_WEBHOOK_URL="http://127.0.0.1:$port/" N8N_EDITOR_BASE_URL="http://127.0.0.1:$port/"
	export N8N_RUNNERS_BROKER_PORT="$broker"
	# A fixed key when asked for (the e2e suite); otherwise n8n makes a random one in <folder>/.n8n/config.
	if [ -n "${MUVI_N8N_ENCRYPTION_KEY:-}" ]; then export N8N_ENCRYPTION_KEY="$MUVI_N8N_ENCRYPTION_KEY"; else unset N8N_ENCRYPTION_KEY; fi
	export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
	export N8N_PERSONALIZATION_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
	# 2.x only: n8n 1.x has no mcp-registry module and refuses to start when told to disable an unknown one.
	if [ "${MUVI_N8N_LINE:-2}" -ge 2 ]; then export N8N_DISABLED_MODULES=mcp-registry; else unset N8N_DISABLED_MODULES; fi
	export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_UNVERIFIED_PACKAGES_ENABLED=true
	# n8n 2.41 ships SSRF protection off; on, its default block list includes 127.0.0.0/8, where the
	# simulator listens. Stated here so a changed default cannot break the local setup unnoticed.
	export N8N_SSRF_PROTECTION_ENABLED=false
	export N8N_LOG_LEVEL="${N8N_LOG_LEVEL:-info}"
}

# Runs "$@" with the Node.js (and npm) the n8n under test runs on (scripts/n8n-env.sh), else as is.
muvi_n8n_node_run() {
	if [ -n "${MUVI_N8N_NODE_DIR:-}" ]; then
		PATH="$MUVI_N8N_NODE_DIR/bin:$PATH" "$@"
	else
		"$@"
	fi
}

# The n8n CLI arguments that make webhook workflow $1 active: n8n 2.x publishes it
# (`publish:workflow`), n8n 1.x has no publishing and sets it active (`update:workflow --active=true`).
# Usage: "$MUVI_N8N_BIN" $(muvi_n8n_activate_args "$id")
muvi_n8n_activate_args() {
	if [ "${MUVI_N8N_LINE:-2}" -ge 2 ]; then
		echo "publish:workflow --id=$1"
	else
		echo "update:workflow --id=$1 --active=true"
	fi
}

# Installs the tarball $1 into the instance's community-nodes folder ($N8N_USER_FOLDER/.n8n/nodes),
# the way n8n (1.x and 2.x) installs a community package: unpack into node_modules/<name>, drop dev, peer
# and optional dependencies, `npm install` its own dependencies without scripts (with the npm of the
# Node.js n8n runs on), and record it in nodes/package.json. Only what `npm pack` put in the tarball
# reaches n8n. npm's warnings go to nodes/muvi-npm-install.log; an engine warning (EBADENGINE: the
# package's `engines` exclude that Node.js) fails the install.
muvi_install_package_tarball() {
	local tgz="$1" nodes="$N8N_USER_FOLDER/.n8n/nodes"
	local name version
	name="$(tar -xzOf "$tgz" package/package.json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).name))")" || return 1
	version="$(tar -xzOf "$tgz" package/package.json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).version))")" || return 1
	local dir="$nodes/node_modules/$name"
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	tar -xzf "$tgz" -C "$dir" --strip-components=1 || return 1
	node -e "
		const fs = require('fs'), f = process.argv[1];
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(f, 'utf8'));
		fs.writeFileSync(f, JSON.stringify(pkg, null, 2));
	" "$dir/package.json" || return 1
	local log="$nodes/muvi-npm-install.log"
	(cd "$dir" && muvi_n8n_node_run npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow \
		--ignore-scripts=true --package-lock=false --loglevel=warn >"$log" 2>&1) || {
		cat "$log" >&2
		return 1
	}
	if grep -q EBADENGINE "$log"; then
		echo "npm warned that $name does not support Node.js $(muvi_n8n_node_run node --version):" >&2
		cat "$log" >&2
		return 1
	fi
	node -e "
		const fs = require('fs'), f = process.argv[1];
		let pkg = { name: 'installed-nodes', private: true, dependencies: {} };
		try { pkg = JSON.parse(fs.readFileSync(f, 'utf8')); } catch {}
		pkg.dependencies = { ...(pkg.dependencies || {}), [process.argv[2]]: process.argv[3] };
		fs.writeFileSync(f, JSON.stringify(pkg, null, 2));
	" "$nodes/package.json" "$name" "$version" || return 1
}

# `npm pack` of the repository into folder $1; prints the tarball's path.
muvi_pack() {
	local dest="$1" file
	mkdir -p "$dest" || return 1
	file="$(cd "$MUVI_REPO" && npm pack --pack-destination "$dest" --silent --loglevel=error | tail -n 1)" || return 1
	echo "$dest/$file"
}

# Waits until $1 answers HTTP 2xx, at most $2 seconds; gives up early if process $3 ended.
muvi_wait_http() {
	local url="$1" limit="$2" pid="${3:-}" i
	for ((i = 0; i < limit * 4; i++)); do
		if node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$url" 2>/dev/null; then return 0; fi
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
		sleep 0.25
	done
	return 1
}

# Starts the Muvi simulator (test/fake-muvi/cli.ts) in its own process group, output to file $1,
# remaining arguments passed on. Sets MUVI_SIM_PID, MUVI_SIM_URL, MUVI_SIM_CDN_URL, MUVI_SIM_CONTROL_URL.
muvi_start_simulator() {
	local log="$1"
	shift
	local url_file="${log%.log}.url.json" i
	rm -f "$url_file"
	setsid node "$MUVI_REPO/test/fake-muvi/cli.ts" --url-file "$url_file" "$@" >"$log" 2>&1 </dev/null &
	MUVI_SIM_PID=$!
	for ((i = 0; i < 80; i++)); do
		[ -s "$url_file" ] && break
		if ! kill -0 "$MUVI_SIM_PID" 2>/dev/null; then break; fi
		sleep 0.25
	done
	if [ ! -s "$url_file" ]; then
		echo "The Muvi simulator did not start; its output:" >&2
		cat "$log" >&2
		return 1
	fi
	MUVI_SIM_URL="$(node -p "require(process.argv[1]).url" "$url_file")"
	MUVI_SIM_CDN_URL="$(node -p "require(process.argv[1]).cdnUrl" "$url_file")"
	MUVI_SIM_CONTROL_URL="$(node -p "require(process.argv[1]).controlUrl" "$url_file")"
	export MUVI_SIM_PID MUVI_SIM_URL MUVI_SIM_CDN_URL MUVI_SIM_CONTROL_URL
}

# Stops process group $1 (started with setsid): SIGTERM, then SIGKILL after $2 seconds (default 10).
muvi_stop_group() {
	local pid="$1" grace="${2:-10}" i
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < grace * 4; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.25
	done
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
	return 0
}

# `npm install <tarball $1>` into a scratch project with the npm of the Node.js n8n runs on and
# `--engine-strict` (what an npm configured to refuse unsupported engines does). Fails on a refusal or
# an EBADENGINE warning, so the package's `engines` must admit the Node.js of every tested n8n line.
muvi_check_engines() {
	local tgz="$1" scratch out
	scratch="$(mktemp -d "${TMPDIR:-/tmp}/muvi-engines.XXXXXX")" || return 1
	printf '{"name":"muvi-engines-check","private":true}\n' >"$scratch/package.json"
	# peer dependencies (n8n-workflow) are n8n's own: not installed here, as in n8n's installer
	if ! out="$(cd "$scratch" && muvi_n8n_node_run npm install --engine-strict --omit=peer --legacy-peer-deps \
		--ignore-scripts --no-audit --no-fund --loglevel=warn "$tgz" 2>&1)" || grep -q EBADENGINE <<<"$out"; then
		echo "npm install --engine-strict of $(basename "$tgz") on Node.js $(muvi_n8n_node_run node --version) failed or warned:" >&2
		echo "$out" >&2
		rm -rf "$scratch"
		return 1
	fi
	rm -rf "$scratch"
	echo "npm install --engine-strict on Node.js $(muvi_n8n_node_run node --version): no engine warning" >&2
}
