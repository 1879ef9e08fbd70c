#!/usr/bin/env bash
# Checks of the generated FixyNN RTL for the test net (tests/rtl/fixynn/test_net.*):
#   lint   verilator --lint-only -Wall on all generated files: any output is a failure
#   synth  yosys synth -top fixynn_top; check -assert; no latches; prints the cell counts
#   sim    Verilator testbench (tb_fixynn.cpp): two frames; every stage's observation ports equal to a model of
#          the contract's control and to the golden stage outputs
#   fault  one non-zero weight literal of stage 0 changed in the text: the testbench must report a mismatch
# Usage: check_fixynn_rtl.sh lint|synth|sim|fault TESTNET_TOOL WORKDIR [edge]  (edge: the edge-geometry net)
set -u
mode=$1
tool=$2
work=$3
net=${4:-default}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
"$tool" "$work" 1 "$net" || { echo "FAIL: generator"; exit 1; }
rtl="$work/rtl"
files=$(echo "$rtl"/*.v)

build_and_run() {  # $1 = rtl dir, $2 = object dir[, $3 = port trace]; prints the testbench output, returns its exit code
  local nstages
  nstages=$(ls "$1"/fixynn_stage*.v | wc -l)
  verilator --cc --exe --build -j 2 -Wno-fatal --top-module fixynn_top -Mdir "$2" -o tb_fixynn -CFLAGS -DNSTAGES=$nstages \
    $(ls "$1"/*.v) "$here/tb_fixynn.cpp" >"$2.build.log" 2>&1 || { echo "FAIL: verilator build (log $2.build.log)"; return 3; }
  "$2/tb_fixynn" "$work/vectors.txt" ${3:-}
}

inject_fault() {  # add 64 to the first multiplied weight literal of stage 0
  perl -0pi -e "s/^(\s+[+-] \d+'sd)(\d+)( \* x)/\$1.(\$2+64).\$3/me" "$rtl/fixynn_stage0.v"
  cmp -s <("$tool" "$work/orig" 1 "$net" >/dev/null && cat "$work/orig/rtl/fixynn_stage0.v") "$rtl/fixynn_stage0.v" &&
    { echo "FAIL: the fault was not injected"; exit 1; }
}

case "$mode" in
  lint)
    out=$(verilator --lint-only -Wall --top-module fixynn_top $files 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
      echo "FAIL lint (rc=$rc)"
      echo "$out"
      exit 1
    fi
    echo "lint clean: $(echo $files | wc -w) files" ;;
  synth)
    log=$work/synth.log
    if ! yosys -q -l "$log" -p "read_verilog -sv $files; synth -top fixynn_top; check -assert; stat" >/dev/null 2>&1; then
      echo "FAIL synth (log: $log)"
      exit 1
    fi
    if grep -qiE '\$_?(dlatch|latch)|\$_DLATCH' "$log"; then
      echo "FAIL synth: latch (log: $log)"
      exit 1
    fi
    # The last stat (synth prints one of its own first).
    awk '/Printing statistics/ {buf = ""} /^=== |Number of cells:/ {buf = buf $0 "\n"} END {printf "%s", buf}' "$log"
    echo "synth ok" ;;
  sim)
    build_and_run "$rtl" "$work/obj" || exit 1 ;;
  lockstep)
    # The C++ cycle core (models/fixynn/fixed_pipeline_core.*) against the RTL on every port every cycle.
    build_and_run "$rtl" "$work/obj" "$work/trace.txt" || exit 1
    "$tool" replay "$work" 1 "$net" ;;
  lockstep_fault)
    # A changed constant in the RTL: the lockstep must fail naming the stage and the channel.
    inject_fault
    build_and_run "$rtl" "$work/obj" "$work/trace.txt" >/dev/null
    out=$("$tool" replay "$work" 1 "$net")
    rc=$?
    echo "$out" | head -3
    if [ $rc -eq 1 ] && echo "$out" | grep -q 'stage 0 .* out_data channel'; then
      echo "fault caught by the lockstep (expected)"
      exit 0
    fi
    echo "FAIL: the lockstep did not catch the faulty RTL (rc=$rc)"
    exit 1 ;;
  fault)
    inject_fault
    out=$(build_and_run "$rtl" "$work/obj")
    rc=$?
    echo "$out"
    if [ $rc -eq 1 ] && echo "$out" | grep -q '^mismatch'; then
      echo "fault detected (expected)"
      exit 0
    fi
    echo "FAIL: the faulty RTL was not caught (rc=$rc)"
    exit 1 ;;
  *) echo "usage: check_fixynn_rtl.sh lint|synth|sim|fault|lockstep|lockstep_fault TOOL WORKDIR" >&2; exit 2 ;;
esac
