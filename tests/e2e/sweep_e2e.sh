#!/usr/bin/env bash
# sweep_e2e.sh NPUSIM SOURCE_DIR: `npusim sweep` end to end on tests/e2e/sweep/small.yaml (12 points).
#  - a local run with --jobs 2 records every point (fast points in-process); a rerun runs nothing;
#  - --isolate (every point a worker process) gives the same points and layers;
#  - a sweep killed with SIGKILL in the middle and rerun has every point exactly once, equal to the
#    uninterrupted run's: worker processes (small_cycle.yaml, cycle model) and in-process fast points
#    (the shipped configs/sweeps/sparse_sta.yaml);
#  - two shards merged equal the local run; merging again adds nothing;
#  - `sweep report` prints the Pareto front and writes every point with its front flag;
#  - scripts/sweep-parallel (3 shards under GNU parallel, merged) equals the local run, and resumes.
set -euo pipefail
npusim=$1 src=$2
spec=$src/tests/e2e/sweep/small.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
rows() { sqlite3 "$1" "select config_hash, workload, options, status, cycles, energy_pj, area_mm2 from points order by 1, 2, 3"; }
layers() { sqlite3 "$1" "select p.config_hash, p.workload, p.options, l.layer_index, l.name, l.cycles, l.energy_pj, l.dram_bytes, l.report from layers l join points p on p.id = l.point_id order by 1, 2, 3, 4" | md5sum; }

"$npusim" sweep "$spec" --jobs 2 --db "$tmp/full.sqlite" > "$tmp/full.log" 2>&1 || fail "sweep: $(cat "$tmp/full.log")"
[ "$(sqlite3 "$tmp/full.sqlite" "select count(*) from points where status = 'done'")" = 12 ] || fail "not 12 points done"
grep -q '12 to run (12 fast in-process, 0 as worker processes)' "$tmp/full.log" || fail "fast points not in-process: $(cat "$tmp/full.log")"
# The same points as worker processes (--isolate) give the same figures, layer rows and totals.
"$npusim" sweep "$spec" --jobs 2 --isolate --db "$tmp/iso.sqlite" > "$tmp/iso.log" 2>&1 || fail "isolate: $(cat "$tmp/iso.log")"
grep -q '0 already in the database, 12 to run$' "$tmp/iso.log" || fail "--isolate header: $(cat "$tmp/iso.log")"
[ "$(rows "$tmp/iso.sqlite")" = "$(rows "$tmp/full.sqlite")" ] || fail "in-process and --isolate points differ"
[ "$(layers "$tmp/iso.sqlite")" = "$(layers "$tmp/full.sqlite")" ] || fail "in-process and --isolate layers differ"
echo "in-process and --isolate (worker processes): equal points and layers"
out=$("$npusim" sweep "$spec" --jobs 2 --db "$tmp/full.sqlite" 2>&1)
grep -q '12 already in the database, 0 to run' <<<"$out" || fail "a rerun ran points again: $out"

# kill_and_rerun SPEC NAME N MIN: a sweep of N runs killed with SIGKILL once MIN are done, then rerun: every
# run present once, equal to an uninterrupted run of the same spec.
kill_and_rerun() {
  local spec=$1 name=$2 n=$3 min=$4 pid before
  "$npusim" sweep "$spec" --jobs 2 --db "$tmp/$name.full.sqlite" > "$tmp/$name.full.log" 2>&1 \
    || fail "$name: $(cat "$tmp/$name.full.log")"
  "$npusim" sweep "$spec" --jobs 2 --db "$tmp/$name.killed.sqlite" > "$tmp/$name.killed.log" 2>&1 &
  pid=$!
  for _ in $(seq 400); do
    before=$(sqlite3 "$tmp/$name.killed.sqlite" "select count(*) from points where status = 'done'" 2>/dev/null || echo 0)
    [ "${before:-0}" -ge "$min" ] && break
    sleep 0.02
  done
  kill -KILL $pid 2>/dev/null || fail "$name: the sweep ended before it could be killed"
  wait $pid 2>/dev/null || true
  before=$(sqlite3 "$tmp/$name.killed.sqlite" "select count(*) from points where status = 'done'")
  [ "$before" -lt "$n" ] || fail "$name: the sweep finished before it was killed"
  [ "$(sqlite3 "$tmp/$name.killed.sqlite" "pragma integrity_check")" = ok ] || fail "$name: database damaged by SIGKILL"
  "$npusim" sweep "$spec" --jobs 2 --db "$tmp/$name.killed.sqlite" > "$tmp/$name.rerun.log" 2>&1 \
    || fail "$name rerun: $(cat "$tmp/$name.rerun.log")"
  [ "$(sqlite3 "$tmp/$name.killed.sqlite" "select count(*) from points")" = "$n" ] || fail "$name: points missing or twice"
  [ "$(rows "$tmp/$name.killed.sqlite")" = "$(rows "$tmp/$name.full.sqlite")" ] \
    || fail "$name: killed + rerun differs from the uninterrupted run"
  [ "$(layers "$tmp/$name.killed.sqlite")" = "$(layers "$tmp/$name.full.sqlite")" ] \
    || fail "$name: killed + rerun layers differ from the uninterrupted run"
  echo "$name: killed after $before of $n runs; the rerun completed the rest, equal to the uninterrupted run"
}
# Worker processes (cycle model) and in-process threads (the shipped sparse-STA space, fast).
kill_and_rerun "$src/tests/e2e/sweep/small_cycle.yaml" cycle 12 3
kill_and_rerun "$src/configs/sweeps/sparse_sta.yaml" sparse_sta 96 10

"$npusim" sweep "$spec" --jobs 2 --shard 0/2 --db "$tmp/s0.sqlite" > /dev/null 2>&1 || fail "shard 0"
"$npusim" sweep "$spec" --jobs 2 --shard 1/2 --db "$tmp/s1.sqlite" > /dev/null 2>&1 || fail "shard 1"
"$npusim" sweep merge --db "$tmp/merged.sqlite" "$tmp/s0.sqlite" "$tmp/s1.sqlite"
out=$("$npusim" sweep merge --db "$tmp/merged.sqlite" "$tmp/s0.sqlite" "$tmp/s1.sqlite")
grep -q '0 added, 0 replaced, 12 unchanged, 0 conflicts' <<<"$out" || fail "merge not idempotent: $out"
[ "$(rows "$tmp/merged.sqlite")" = "$(rows "$tmp/full.sqlite")" ] || fail "merged shards differ from the local run"
out=$("$npusim" sweep report "$tmp/full.sqlite" --x area_mm2 --y tops_per_w_core_effective --csv "$tmp/points.csv")
grep -q '^Pareto front on workloads/resnet18.csv (area_mm2 min, tops_per_w_core_effective max):' <<<"$out" \
  || fail "no front: $out"
[ "$(tail -n +2 "$tmp/points.csv" | wc -l)" = 12 ] || fail "CSV does not hold the 12 points"
[ "$(awk -F, 'NR > 1 && $NF == 1' "$tmp/points.csv" | wc -l)" -ge 1 ] || fail "no point on the front"
if command -v parallel >/dev/null; then
  "$src/scripts/sweep-parallel" "$spec" 3 --db "$tmp/par.sqlite" --jobs 2 --build "$(dirname "$npusim")" >/dev/null
  [ "$(rows "$tmp/par.sqlite")" = "$(rows "$tmp/full.sqlite")" ] || fail "sweep-parallel differs from the local run"
  out=$("$src/scripts/sweep-parallel" "$spec" 3 --db "$tmp/par.sqlite" --jobs 2 --build "$(dirname "$npusim")")
  grep -q '0 added, 0 replaced, 12 unchanged, 0 conflicts' <<<"$out" || fail "sweep-parallel rerun: $out"
  echo "sweep-parallel: 3 shards under GNU parallel, merged: equal to the local run"
else
  echo "skip sweep-parallel: GNU parallel is not installed (scripts/setup installs it)"
fi
set +e
out=$("$npusim" sweep report "$tmp/full.sqlite" --x speed 2>&1); rc=$?
set -e
[ $rc = 2 ] && grep -q "figure 'speed': not a figure of the sweep database" <<<"$out" || fail "unknown figure: $rc $out"
echo "ok"
