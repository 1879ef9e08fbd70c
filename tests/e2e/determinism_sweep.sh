#!/usr/bin/env bash
# determinism_sweep.sh NPUSIM SOURCE_DIR (issue 15 point 5): the same command and seed give byte-identical
# results, timing fields aside, across repeated runs and across --jobs values:
#  - `npusim run --json` twice, on a chained network through the cycle model (systolic, values and
#    verification) and on the noisy AON-CiM design (programming noise, drift and read noise from the seed);
#  - the SQLite store of a sweep: every table, every column but the row id, host, pid, start/finish times
#    and wall time, rows in key order, compared as text: fast points in-process with --jobs 1, 2 and 3,
#    as worker processes (--isolate), twice; cycle-model points with --jobs 1 and 2; a seeded random sample.
set -euo pipefail
npusim=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

same_json() {  # same_json NAME ARGS...: two runs, identical JSON
  local name=$1
  shift
  "$npusim" run "$@" --json "$tmp/$name.1.json" >/dev/null
  "$npusim" run "$@" --json "$tmp/$name.2.json" >/dev/null
  cmp -s "$tmp/$name.1.json" "$tmp/$name.2.json" || fail "$name: two runs differ: $(diff "$tmp/$name.1.json" "$tmp/$name.2.json" | head -5)"
  echo "run $name: two runs, byte-identical JSON ($(wc -c < "$tmp/$name.1.json") bytes)"
}
same_json systolic_chained --arch "$src/configs/arch/sta_dbb_2x8x2_8x4.yaml" \
  --workload "$src/workloads/tinymlperf_ic_resnet8.csv" --seed 5
same_json cim_noisy --arch "$src/configs/arch/cim_aon_64x256x256_14nm.yaml" \
  --workload "$src/tests/data/models/kws_ref_model.tflite" --seed 5 --fast --values

# dump DB: the store as text without the timing fields (points by key; child rows by their point's key).
dump() {
  local key="p.config_hash || '|' || p.workload || '|' || p.options"
  sqlite3 -batch "$1" <<SQL
.mode quote
select config_hash, workload, options, spec, overrides, resolved_config, status, error, seed, layer_count,
       cycles, macs, executed_macs, stall_cycles, dram_bytes, utilization, latency_s, frame_period_s, tops,
       energy_pj, energy_core_pj, energy_estimated, tops_per_w_effective, tops_per_w_executed,
       tops_per_w_core_effective, tops_per_w_core_executed, area_mm2, tops_per_mm2, verified_layers,
       failed_layers, not_checked_layers, statistical_layers, report
  from points order by config_hash, workload, options;
select $key, l.layer_index, l.name, l.op, l.unit, l.macs, l.executed_macs, l.cycles, l.stall_cycles,
       l.utilization, l.latency_s, l.energy_pj, l.verified, l.dram_bytes, l.report
  from layers l join points p on p.id = l.point_id order by 1, 2;
select $key, e.category, e.pj from energy e join points p on p.id = e.point_id order by 1, 2;
select $key, a.category, a.um2 from area a join points p on p.id = a.point_id order by 1, 2;
SQL
}
same_db() {  # same_db NAME SPEC ARGS-A -- ARGS-B: two sweeps of SPEC, identical stores
  local name=$1 spec=$2 a=() b=()
  shift 2
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  "$npusim" sweep "$spec" "${a[@]}" --db "$tmp/$name.a.sqlite" > "$tmp/$name.a.log" 2>&1 || fail "$name: $(cat "$tmp/$name.a.log")"
  "$npusim" sweep "$spec" "${b[@]}" --db "$tmp/$name.b.sqlite" > "$tmp/$name.b.log" 2>&1 || fail "$name: $(cat "$tmp/$name.b.log")"
  dump "$tmp/$name.a.sqlite" > "$tmp/$name.a.txt"
  dump "$tmp/$name.b.sqlite" > "$tmp/$name.b.txt"
  [ "$(grep -c . "$tmp/$name.a.txt")" -gt 0 ] || fail "$name: empty store"
  cmp -s "$tmp/$name.a.txt" "$tmp/$name.b.txt" || fail "$name: stores differ ($*): $(diff "$tmp/$name.a.txt" "$tmp/$name.b.txt" | head -3 | cut -c1-200)"
  echo "sweep $name: '${a[*]}' and '${b[*]}': byte-identical stores ($(wc -l < "$tmp/$name.a.txt") rows)"
}
small=$src/tests/e2e/sweep/small.yaml
same_db fast_jobs "$small" --jobs 1 -- --jobs 2
same_db fast_jobs3_isolate "$small" --jobs 3 -- --jobs 2 --isolate
same_db fast_repeat "$src/configs/sweeps/sparse_sta.yaml" --jobs 2 -- --jobs 2
same_db cycle_jobs "$src/tests/e2e/sweep/small_cycle.yaml" --jobs 1 -- --jobs 2
cat > "$tmp/random.yaml" <<YAML
name: random
base: $src/configs/arch/sta_dbb_2x8x2_8x4.yaml
workloads: [$src/workloads/resnet18.csv]
axes:
  array.rows: {from: 2, to: 32, step: 2}
  array.cols: {from: 2, to: 32, step: 2}
  buffers.act_kib: {from: 32, to: 1024, factor: 2}
sampling: {mode: random, points: 40, seed: 7}
options: {fast: true, seed: 3}
YAML
same_db random_sample "$tmp/random.yaml" --jobs 1 -- --jobs 2
# The comparison sees a difference: another sampling seed gives another store.
sed 's/seed: 7/seed: 8/' "$tmp/random.yaml" > "$tmp/random8.yaml"
"$npusim" sweep "$tmp/random8.yaml" --jobs 2 --db "$tmp/random8.sqlite" > /dev/null 2>&1
dump "$tmp/random8.sqlite" > "$tmp/random8.txt"
! cmp -s "$tmp/random8.txt" "$tmp/random_sample.a.txt" || fail "another sampling seed gave the same store"
echo ok
