# Sourced by the project's scripts: installs the dev dependencies from the lockfile when they are
# missing or older than the lockfile.
if [ ! -d "$MUVI_REPO/node_modules" ] || [ "$MUVI_REPO/package-lock.json" -nt "$MUVI_REPO/node_modules/.package-lock.json" ]; then
	echo "Installing dev dependencies (npm ci) ..." >&2
	(cd "$MUVI_REPO" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
