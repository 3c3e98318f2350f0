#!/bin/sh
# Measures ingest + extract + cluster throughput with 1, 2 and 4 "testigo
# worker" processes on PostgreSQL against a local feed server of synthetic
# articles (internal/workerbench). Needs a PostgreSQL server:
#
#   TESTIGO_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
#     scripts/bench-workers.sh [-articles 600] [-feeds 16] [-procs 1,2,4] [-workers 1]
#
# Each run gets a fresh schema (dropped afterwards) and data directory.
set -eu
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
GOTOOLCHAIN=local CGO_ENABLED=0 go build -o "$bin/testigo" ./cmd/testigo
GOTOOLCHAIN=local CGO_ENABLED=0 go build -o "$bin/bench-workers" ./cmd/bench-workers
"$bin/bench-workers" -testigo "$bin/testigo" "$@"
