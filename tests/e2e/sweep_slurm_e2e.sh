#!/usr/bin/env bash
# sweep_slurm_e2e.sh NPUSIM SOURCE_DIR: scripts/sweep-slurm on a real single-node Slurm cluster that this test
# starts and stops itself (tests/e2e/slurm_cluster.sh: munged, slurmctld, slurmd, all state in a temp dir).
#  - tests/e2e/sweep/small.yaml (12 points) as a job array of 3 shards, merged, equals the local run
#    (points without wall time, host, pid and timestamps; layers, energy and area rows);
#  - there were 3 array tasks (3 shard databases, 3 .rc files = 0, 3 Slurm task outputs);
#  - a rerun resumes: every shard runs nothing and the merge adds nothing;
#  - the shipped sparse-STA space (configs/sweeps/sparse_sta.yaml, 96 points) as a job array of 4 shards,
#    merged, equals its local run with --jobs 2;
#  - a failing shard makes the script exit 1 with one line naming the shard and its log;
#  - SIGTERM to the script cancels the job array.
# Exits 77 (skipped) unless run as root with slurm-wlm and munge installed.
set -euo pipefail
npusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd)
spec=$src/tests/e2e/sweep/small.yaml
for tool in munged slurmctld slurmd sbatch squeue scancel sinfo sqlite3; do
  command -v $tool >/dev/null || { echo "skip: $tool is not installed (apt-get install slurm-wlm munge sqlite3)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "skip: starting a test Slurm cluster needs root"; exit 77; }
t0=$SECONDS
tmp=$(mktemp -d)
chmod 711 "$tmp"  # munged runs as user munge and must reach its socket under $tmp/cluster
cluster=$tmp/cluster
cleanup() { bash "$src/tests/e2e/slurm_cluster.sh" stop "$cluster" || true; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "FAIL: $*"; exit 1; }
# Everything but the run's circumstances (id, host, pid, start/finish time, wall time).
rows() {
  sqlite3 "$1" "select config_hash, workload, options, spec, overrides, resolved_config, status, error, seed,
    layer_count, cycles, macs, executed_macs, stall_cycles, dram_bytes, utilization, latency_s, frame_period_s,
    tops, energy_pj, energy_core_pj, energy_estimated, tops_per_w_effective, tops_per_w_executed,
    tops_per_w_core_effective, tops_per_w_core_executed, area_mm2, tops_per_mm2, verified_layers, failed_layers,
    not_checked_layers, statistical_layers, report from points order by 1, 2, 3"
}
# Child rows keyed by their point's (config_hash, workload, options), not by the database's point id.
children() {
  local db=$1
  sqlite3 "$db" "select p.config_hash, p.workload, p.options, l.layer_index, l.name, l.op, l.unit, l.macs,
    l.executed_macs, l.cycles, l.stall_cycles, l.utilization, l.latency_s, l.energy_pj, l.verified, l.dram_bytes,
    l.report from layers l join points p on p.id = l.point_id order by 1, 2, 3, 4" | md5sum
  sqlite3 "$db" "select p.config_hash, p.workload, p.options, e.category, e.pj from energy e
    join points p on p.id = e.point_id order by 1, 2, 3, 4" | md5sum
  sqlite3 "$db" "select p.config_hash, p.workload, p.options, a.category, a.um2 from area a
    join points p on p.id = a.point_id order by 1, 2, 3, 4" | md5sum
}
count() { sqlite3 "$1" "select (select count(*) from points) || ' points, ' || (select count(*) from layers) || ' layers'"; }

bash "$src/tests/e2e/slurm_cluster.sh" start "$cluster" > "$tmp/cluster.log" 2>&1 \
  || fail "the test Slurm cluster did not start: $(cat "$tmp/cluster.log")"
# shellcheck disable=SC1091
source "$cluster/env"
echo "test cluster up ($(sinfo -h -o '%P %D node(s) %c CPUs %T')) in $((SECONDS - t0)) s"
cd "$tmp"
build=$(dirname "$npusim")

"$npusim" sweep "$spec" --db local.sqlite --jobs 2 > local.log 2>&1 || fail "local sweep: $(cat local.log)"
[ "$(sqlite3 local.sqlite "select count(*) from points where status = 'done'")" = 12 ] || fail "local: not 12 points done"
[ "$(rows local.sqlite | wc -l)" -ge 12 ] || fail "local: cannot read the points back"

t1=$SECONDS
"$src/scripts/sweep-slurm" "$spec" 3 --db slurm.sqlite --build "$build" > slurm.out 2> slurm.err \
  || fail "sweep-slurm: $(cat slurm.out slurm.err)"
echo "sweep-slurm, 3 shards: $((SECONDS - t1)) s: $(cat slurm.out)"
grep -q '12 added, 0 replaced, 0 unchanged, 0 conflicts' slurm.out || fail "merge: $(cat slurm.out slurm.err)"
jobid=$(cat slurm.sqlite.shards/jobid)
shards=slurm.sqlite.shards
[ "$(find $shards -name 'shard*.sqlite' | wc -l)" = 3 ] || fail "not 3 shard databases: $(ls $shards)"
for i in 0 1 2; do
  [ "$(cat $shards/shard$i.rc)" = 0 ] || fail "shard $i: rc $(cat $shards/shard$i.rc)"
  [ -f "$shards/slurm-${jobid}_$i.out" ] || fail "no output of array task ${jobid}_$i: $(ls $shards)"
  grep -q "shard $i/3" $shards/shard$i.log || fail "shard $i did not run shard $i/3: $(cat $shards/shard$i.log)"
done
total=0
for i in 0 1 2; do total=$((total + $(sqlite3 $shards/shard$i.sqlite "select count(*) from points"))); done
[ $total = 12 ] || fail "the 3 shards hold $total points, not 12"
[ "$(rows slurm.sqlite)" = "$(rows local.sqlite)" ] || fail "sweep-slurm points differ from the local run"
[ "$(children slurm.sqlite)" = "$(children local.sqlite)" ] || fail "sweep-slurm layers/energy/area differ from the local run"
echo "job array $jobid: 3 tasks, 3 shards (rc 0), merged: points, layers, energy and area equal to the local run"

before=$(count slurm.sqlite)
out=$("$src/scripts/sweep-slurm" "$spec" 3 --db slurm.sqlite --build "$build" 2> rerun.err) || fail "rerun: $out $(cat rerun.err)"
grep -q '0 added, 0 replaced, 12 unchanged, 0 conflicts' <<<"$out" || fail "rerun merged something: $out"
for i in 0 1 2; do
  grep -q ' 0 to run' $shards/shard$i.log || fail "rerun: shard $i ran points again: $(cat $shards/shard$i.log)"
done
[ "$(count slurm.sqlite)" = "$before" ] || fail "rerun changed the row counts: $before -> $(count slurm.sqlite)"
[ "$(rows slurm.sqlite)" = "$(rows local.sqlite)" ] || fail "rerun: points differ from the local run"
echo "rerun (job array $(cat $shards/jobid)): every shard ran nothing, merge added nothing (still $before)"

# The shipped sparse-STA design space (issue 14: locally and through the job array, identical).
sta=$src/configs/sweeps/sparse_sta.yaml
"$npusim" sweep "$sta" --db sta_local.sqlite --jobs 2 > sta_local.log 2>&1 || fail "sparse_sta local: $(cat sta_local.log)"
t1=$SECONDS
"$src/scripts/sweep-slurm" "$sta" 4 --db sta_slurm.sqlite --build "$build" > sta_slurm.out 2> sta_slurm.err \
  || fail "sparse_sta sweep-slurm: $(cat sta_slurm.out sta_slurm.err)"
grep -q '96 added, 0 replaced, 0 unchanged, 0 conflicts' sta_slurm.out || fail "sparse_sta merge: $(cat sta_slurm.out)"
[ "$(sqlite3 sta_slurm.sqlite "select count(*) from points where status = 'done'")" = 96 ] || fail "sparse_sta: not 96 points done"
[ "$(rows sta_slurm.sqlite)" = "$(rows sta_local.sqlite)" ] || fail "sparse_sta: sweep-slurm points differ from the local run"
[ "$(children sta_slurm.sqlite)" = "$(children sta_local.sqlite)" ] || fail "sparse_sta: layers/energy/area differ from the local run"
echo "sparse_sta, job array of 4 shards in $((SECONDS - t1)) s: $(count sta_slurm.sqlite), equal to the local --jobs 2 run"

# A failing shard: a stand-in npusim that fails shard 1/3.
mkdir fake
cat > fake/npusim <<EOF
#!/usr/bin/env bash
case "\$*" in
  *"--shard 1/3"*) echo "shard 1 fails on purpose" >&2; exit 3 ;;
  *"--shard"*) [ -z "\${NPUSIM_FAKE_SLEEP:-}" ] || exec sleep "\$NPUSIM_FAKE_SLEEP" ;;
esac
exec "$npusim" "\$@"
EOF
chmod +x fake/npusim
set +e
"$src/scripts/sweep-slurm" "$spec" 3 --db bad.sqlite --build fake > bad.out 2> bad.err
rc=$?
set -e
[ $rc = 1 ] || fail "a failing shard: exit $rc, not 1: $(cat bad.out bad.err)"
grep -qx "sweep-slurm: shard 1/3 failed with exit code 3: see $tmp/bad.sqlite.shards/shard1.log" bad.err \
  || fail "a failing shard: $(cat bad.err)"
[ "$(grep -c 'failed\|did not finish' bad.err)" = 1 ] || fail "a failing shard: other shards reported: $(cat bad.err)"
[ ! -e bad.sqlite ] || fail "a failing shard: merged anyway"
echo "a failing shard: exit 1, $(grep 'shard 1/3' bad.err)"

# SIGTERM while the array runs cancels it.
NPUSIM_FAKE_SLEEP=120 "$src/scripts/sweep-slurm" "$spec" 3 --db slow.sqlite --build fake > slow.out 2> slow.err &
pid=$!
running=""
for _ in $(seq 100); do
  if [ -f slow.sqlite.shards/jobid ]; then
    running=$(squeue -h -j "$(cat slow.sqlite.shards/jobid)" -t running -o %i)
    [ -z "$running" ] || break
  fi
  sleep 0.2
done
[ -n "$running" ] || fail "SIGTERM: no array task started in 20 s: $(cat slow.err; squeue)"
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
[ $rc = 143 ] || fail "SIGTERM: exit $rc, not 143: $(cat slow.err)"
grep -q "cancelling job array $(cat slow.sqlite.shards/jobid)" slow.err || fail "SIGTERM: $(cat slow.err)"
left=1
for _ in $(seq 50); do
  left=$(squeue -h -j "$(cat slow.sqlite.shards/jobid)" -o %i | wc -l)
  [ "$left" = 0 ] && break
  sleep 0.2
done
[ "$left" = 0 ] || fail "SIGTERM: the job array still runs: $(squeue)"
echo "SIGTERM: the job array was cancelled (exit 143)"
echo "ok ($((SECONDS - t0)) s)"
