# Sourced by scripts/e2e.sh: Debian's Chromium for the browser suite (test/e2e/09-browser.test.ts),
# which playwright-core drives. Installed with apt-get when missing; a browser is never downloaded
# from anywhere else. MUVI_CHROMIUM names another Chromium binary.
muvi_ensure_chromium() {
	local bin="${MUVI_CHROMIUM:-/usr/bin/chromium}"
	[ -x "$bin" ] && return 0
	if [ -n "${MUVI_CHROMIUM:-}" ]; then
		echo "browser suite: MUVI_CHROMIUM=$bin is not an executable" >&2
		return 1
	fi
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo -n)
		else
			echo "browser suite: $bin is missing; install Debian's chromium as root: apt-get install -y chromium" >&2
			return 1
		fi
	fi
	echo "browser suite: $bin is missing; installing Debian's chromium (apt-get install -y chromium) ..." >&2
	"${sudo[@]}" apt-get update -qq >&2 &&
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >&2 || return 1
	[ -x "$bin" ]
}
