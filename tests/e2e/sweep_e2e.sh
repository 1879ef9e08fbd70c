#!/usr/bin/env bash
# sweep_e2e.sh NPUSIM SOURCE_DIR: `npusim sweep` end to end on tests/e2e/sweep/small.yaml (12 points).
#  - a local run with --jobs 2 records every point; a rerun runs nothing;
#  - a sweep killed with SIGKILL in the middle and rerun has every point exactly once, equal to the
#    uninterrupted run's;
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

"$npusim" sweep "$spec" --jobs 2 --db "$tmp/full.sqlite" > "$tmp/full.log" 2>&1 || fail "sweep: $(cat "$tmp/full.log")"
[ "$(sqlite3 "$tmp/full.sqlite" "select count(*) from points where status = 'done'")" = 12 ] || fail "not 12 points done"
out=$("$npusim" sweep "$spec" --jobs 2 --db "$tmp/full.sqlite" 2>&1)
grep -q '12 already in the database, 0 to run' <<<"$out" || fail "a rerun ran points again: $out"

"$npusim" sweep "$spec" --jobs 2 --db "$tmp/killed.sqlite" > "$tmp/killed.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  n=$(sqlite3 "$tmp/killed.sqlite" "select count(*) from points where status = 'done'" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 3 ] && break
  sleep 0.1
done
kill -KILL $pid
wait $pid 2>/dev/null || true
before=$(sqlite3 "$tmp/killed.sqlite" "select count(*) from points where status = 'done'")
[ "$before" -lt 12 ] || fail "the sweep finished before it was killed"
[ "$(sqlite3 "$tmp/killed.sqlite" "pragma integrity_check")" = ok ] || fail "database damaged by SIGKILL"
"$npusim" sweep "$spec" --jobs 2 --db "$tmp/killed.sqlite" > "$tmp/rerun.log" 2>&1 || fail "rerun: $(cat "$tmp/rerun.log")"
[ "$(sqlite3 "$tmp/killed.sqlite" "select count(*) from points")" = 12 ] || fail "points missing or twice"
[ "$(rows "$tmp/killed.sqlite")" = "$(rows "$tmp/full.sqlite")" ] || fail "killed + rerun differs from the uninterrupted run"
echo "killed after $before of 12 points; the rerun completed the rest, equal to the uninterrupted run"

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
