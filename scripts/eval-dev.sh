#!/usr/bin/env bash
# Scores the extractor on the development half of the evaluation data in
# ../shared/eval (never copied into this repository) with its own scorer.
# Usage: bash scripts/eval-dev.sh [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${TESTIGO_EVAL_DIR:-../shared/eval}
if [ ! -d "$eval_dir/dev" ]; then
  echo "no evaluation data at $eval_dir/dev; set TESTIGO_EVAL_DIR" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/testigo" ./cmd/testigo
for f in "$eval_dir"/dev/*.jsonl; do
  "$tmp/testigo" extract --jsonl < "$f" > "$tmp/$(basename "$f" .jsonl).pred"
done
cat "$eval_dir"/dev/*.jsonl > "$tmp/gold.jsonl"
cat "$tmp"/*.pred > "$tmp/pred.jsonl"
python3 "$eval_dir/score.py" "$tmp/gold.jsonl" "$tmp/pred.jsonl" "$@"
