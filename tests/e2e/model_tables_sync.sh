#!/usr/bin/env bash
# The layer tables of the shipped models (workloads/, written by scripts/model-tables) are what the
# importer writes today. usage: model_tables_sync.sh NPUSIM SOURCE_DIR
set -euo pipefail
npusim=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
while read -r model table; do
  [ -n "$model" ] || continue
  "$npusim" inspect "$src/tests/data/models/$model.tflite" --layer-table "$tmp/t.csv" > /dev/null
  diff <(tail -n +2 "$tmp/t.csv") <(tail -n +2 "$src/workloads/$table.csv") > /dev/null ||
    { echo "workloads/$table.csv differs from what the importer writes for $model.tflite: run scripts/model-tables"; exit 1; }
  n=$((n + 1))
done < <(sed -n "/<<'LIST'/,/^LIST$/p" "$src/scripts/model-tables" | sed '1d;$d')
echo "ok: $n model tables in sync"
