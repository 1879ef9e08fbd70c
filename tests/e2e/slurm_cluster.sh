#!/usr/bin/env bash
# slurm_cluster.sh start|stop DIR: a real single-node Slurm cluster (munged, slurmctld, slurmd) for the
# tests, following docs toolchain.md §7 (Debian 12's slurm-wlm 22.05 and munge 0.5, as root, no systemd).
# Everything lives in DIR: the munge key, socket, pid, seed and log; slurm.conf; the controller's state,
# slurmd's spool, both pid files and logs. The controller and slurmd ports are free TCP ports picked at
# start, so the cluster does not clash with another one on the machine (nothing under /etc is used).
#   start  writes DIR/slurm.conf and DIR/env (`source DIR/env` sets SLURM_CONF for sbatch/squeue/...), starts
#          the three daemons and waits (bounded) until the node is idle; on failure it prints the relevant
#          log, stops what it started and exits 1.
#   stop   cancels the cluster's jobs, then ends slurmd, slurmctld, leftover slurmstepd of this cluster and
#          munged by their pid files (SIGTERM, then SIGKILL after a bounded wait). Idempotent.
set -uo pipefail
usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# = 2 ] || usage
cmd=$1
mkdir -p "$2" || exit 1
dir=$(cd "$2" && pwd)
conf=$dir/slurm.conf
export SLURM_CONF=$conf

say() { echo "slurm_cluster: $*" >&2; }
# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds or time runs out.
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || { say "timed out after ${secs} s waiting for $what"; return 1; }
    sleep 0.2
  done
}
# running PID: the process exists and is not a zombie (a container's init may be slow to reap).
running() { [[ "$1" =~ ^[0-9]+$ ]] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
alive() { [ -f "$1" ] && running "$(cat "$1")"; }
# stop_pid PIDFILE NAME: SIGTERM, up to 10 s, then SIGKILL; removes the pid file.
stop_pid() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if running "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    wait_for 10 "$2 (pid $pid) to exit" eval "! running $pid" || kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$f"
}
show_logs() {
  local f
  for f in "$@"; do
    [ -s "$f" ] && { echo "---- $f (last 30 lines)" >&2; tail -n 30 "$f" >&2; }
  done
}

stop() {
  if alive "$dir/slurmctld.pid" && command -v squeue >/dev/null; then
    local jobs
    jobs=$(timeout 10 squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
    if [ -n "${jobs// /}" ]; then
      # shellcheck disable=SC2086
      timeout 10 scancel $jobs 2>/dev/null
      wait_for 15 "the cancelled jobs to end" bash -c '[ -z "$(squeue -h -o %A 2>/dev/null)" ]'
    fi
  fi
  stop_pid "$dir/slurmd.pid" slurmd
  stop_pid "$dir/slurmctld.pid" slurmctld
  # Job step daemons of this cluster (and their jobs) outlive a killed slurmd when their jobs could not be
  # cancelled: a step daemon carries this cluster's SLURM_CONF (slurmd's environment). Kill each with its
  # descendants, the job's processes.
  local p pids=()
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = slurmstepd ] || continue
    { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf" && pids+=("${p#/proc/}")
  done
  if [ ${#pids[@]} -gt 0 ]; then
    # shellcheck disable=SC2207
    pids+=($(ps -e -o pid=,ppid= | awk -v roots="${pids[*]}" '
      { parent[$1] = $2 }
      END { split(roots, r, " "); for (i in r) mine[r[i]] = 1
            do { added = 0; for (p in parent) if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; added = 1 } } while (added)
            for (p in mine) print p }'))
    kill -KILL "${pids[@]}" 2>/dev/null
  fi
  stop_pid "$dir/munge/munged.pid" munged
  rm -f "$dir/munge/munge.socket.2"
  return 0
}

start() {
  for tool in munged slurmctld slurmd sinfo python3; do
    command -v $tool >/dev/null || { say "$tool is not installed (apt-get install slurm-wlm munge)"; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { say "needs root (the daemons run as root and munge)"; exit 1; }
  if alive "$dir/slurmctld.pid" || alive "$dir/slurmd.pid" || alive "$dir/munge/munged.pid"; then
    say "a cluster is already running in $dir (stop it first)"; exit 1
  fi
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  # munged runs as user munge (toolchain.md §7), so it must be able to reach DIR/munge.
  chmod 755 "$dir"
  local m=$dir/munge
  [ -f "$m/munge.key" ] || dd if=/dev/urandom bs=1 count=1024 of="$m/munge.key" status=none
  chown -R munge:munge "$m"
  chmod 755 "$m"   # munged: the socket directory must be searchable by all
  chmod 400 "$m/munge.key"
  su -s /bin/sh munge -c "test -x $m" \
    || { say "user munge cannot reach $m: make DIR's parent directories searchable (chmod o+x)"; exit 1; }
  su -s /bin/sh munge -c "munged --socket=$m/munge.socket.2 --key-file=$m/munge.key --pid-file=$m/munged.pid \
    --log-file=$m/munged.log --seed-file=$m/munged.seed" \
    || { say "munged did not start"; show_logs "$m/munged.log"; stop; exit 1; }
  wait_for 10 "munged's socket" test -S "$m/munge.socket.2" \
    || { show_logs "$m/munged.log"; stop; exit 1; }

  local host ports cpus mem
  host=$(hostname -s)
  # Two distinct free TCP ports (held together while picked, so they differ).
  ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
for x in s: x.bind(("", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))') || { say "no free ports"; stop; exit 1; }
  read -r ctld_port d_port <<<"$ports"
  cpus=$(nproc)
  mem=$(( $(free -m | awk '/^Mem:/ {print $2}') * 9 / 10 ))
  cat > "$conf" <<EOF
# Written by tests/e2e/slurm_cluster.sh: a one-node test cluster, everything under $dir.
ClusterName=local
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$m/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/ctld.log
SlurmdLogFile=$dir/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
MailProg=/bin/true
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  printf 'export SLURM_CONF=%q\n' "$conf" > "$dir/env"

  slurmctld -f "$conf" > "$dir/log/ctld.out" 2>&1 \
    || { say "slurmctld did not start"; show_logs "$dir/log/ctld.out" "$dir/log/ctld.log"; stop; exit 1; }
  wait_for 15 "slurmctld to answer" sinfo -h \
    || { show_logs "$dir/log/ctld.out" "$dir/log/ctld.log"; stop; exit 1; }
  slurmd -f "$conf" > "$dir/log/d.out" 2>&1 \
    || { say "slurmd did not start"; show_logs "$dir/log/d.out" "$dir/log/d.log"; stop; exit 1; }
  wait_for 30 "node $host to be idle" bash -c '[ "$(sinfo -h -n "$1" -o %T)" = idle ]' _ "$host" \
    || { sinfo >&2; show_logs "$dir/log/d.out" "$dir/log/d.log" "$dir/log/ctld.log"; stop; exit 1; }
  say "cluster up in $dir: controller $host:$ctld_port, slurmd port $d_port, partition debug ($cpus CPUs); source $dir/env"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
