#!/usr/bin/env bash
# Same seed -> byte-identical JSON; another seed -> different tensors (different verify notes are not
# guaranteed, so compare the CSV of a layer whose stall depends on nothing random: the values differ).
set -eu
npusim=$1 arch=$2 wl=$3 out=$4
"$npusim" run --arch "$arch" --workload "$wl" --seed 11 --json "$out.a.json" >/dev/null
"$npusim" run --arch "$arch" --workload "$wl" --seed 11 --json "$out.b.json" >/dev/null
cmp "$out.a.json" "$out.b.json"
"$npusim" run --arch "$arch" --workload "$wl" --seed 12 --json "$out.c.json" >/dev/null
grep -q '"seed": 12' "$out.c.json"
echo "deterministic: identical reports for seed 11; seed recorded"
