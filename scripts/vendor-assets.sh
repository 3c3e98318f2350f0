#!/bin/sh
# vendor-assets.sh copies the web interface's front-end files from pinned npm
# packages into internal/web/static/vendor/<package>-<version>/, with each
# package's licence, and rewrites internal/web/static/vendor/SHA256SUMS. The
# files are committed and embedded in the binary, so building never needs
# npm. CI re-runs this script and fails on any diff.
#
# Upgrade: edit a version below, run the script, review the diff and update
# THIRD_PARTY.md and the <script>/<link> paths under internal/web/templates.
set -eu

# package@version, then the files to copy out of the package.
ASSETS='
maplibre-gl@6.17.0 dist/maplibre-gl.mjs dist/maplibre-gl-worker.mjs dist/maplibre-gl.css
topojson-client@3.1.0 dist/topojson-client.min.js
world-atlas@2.0.2 countries-50m.json countries-110m.json
uplot@1.6.32 dist/uPlot.iife.min.js dist/uPlot.min.css
htmx.org@2.0.11 dist/htmx.min.js
'

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/internal/web/static/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rm -rf "$out"
mkdir -p "$out"
echo "$ASSETS" | while read -r spec files; do
	[ -n "$spec" ] || continue
	name=${spec%@*}
	version=${spec##*@}
	work="$tmp/$name-$version"
	mkdir -p "$work"
	(cd "$work" && npm pack --silent "$spec" >/dev/null 2>&1 && tar xzf ./*.tgz)
	dest="$out/$name-$version"
	mkdir -p "$dest"
	for f in $files; do
		cp "$work/package/$f" "$dest/$(basename "$f")"
	done
	found=
	for lic in LICENSE LICENSE.txt LICENSE.md license license.md LICENCE; do
		if [ -f "$work/package/$lic" ]; then
			cp "$work/package/$lic" "$dest/LICENSE"
			found=1
			break
		fi
	done
	if [ -z "$found" ]; then
		echo "vendor-assets: $spec has no licence file" >&2
		exit 1
	fi
done

cd "$out"
find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS
echo "vendored into $out:"
cat SHA256SUMS
