#!/usr/bin/env bash
# Lint and synthesize the dynamic activation pruning unit (rtl/systolic/dap_unit.v, docs/dap_unit.md).
#   Lint: Verilator -Wall over every LANES,BZ pair in SHAPES, production build and the deliberate-fault
#   define; any output at all is a failure.
#   Synth: yosys `synth -top dap_unit; check -assert` (plus a latch grep) over SYNTH_SHAPES.
# Usage: scripts/lint_dap.sh [--no-synth | --no-lint]
set -u
cd "$(dirname "$0")/.."

SRC=rtl/systolic/dap_unit.v
# LANES,BZ
SHAPES="1,1 4,1 1,2 3,3 2,5 2,7 1,8 4,8 8,4 1,16 4,16"
SYNTH_SHAPES="1,1 2,5 4,8"
DEFINES=("" "NPUSIM_FAULT_DAP_TIE")

fail=0
if [ "${1:-}" != "--no-lint" ]; then
  runs=0
  for t in $SHAPES; do
    IFS=, read -r L B <<<"$t"
    for def in "${DEFINES[@]}"; do
      out=$(verilator --lint-only -Wall -GLANES="$L" -GBZ="$B" ${def:++define+$def} "$SRC" --top-module dap_unit 2>&1)
      rc=$?
      runs=$((runs + 1))
      if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL lint: LANES=$L BZ=$B ${def:-(production)} (rc=$rc)"
        echo "$out"
        fail=1
      fi
    done
  done
  echo "lint_dap: $runs lint configurations run"
fi

if [ "${1:-}" != "--no-synth" ]; then
  for t in $SYNTH_SHAPES; do
    IFS=, read -r L B <<<"$t"
    for def in "${DEFINES[@]}"; do
      log=${SYNTH_LOG_DIR:-/tmp}/synth_dap_${L}x${B}${def:+_fault}.log
      if ! yosys -q -l "$log" -p "
read_verilog -sv ${def:+-D$def} $SRC
chparam -set LANES $L -set BZ $B dap_unit
synth -top dap_unit
check -assert
stat" >/dev/null 2>&1; then
        echo "FAIL synth: LANES=$L BZ=$B ${def:-(production)} (log: $log)"
        fail=1
        continue
      fi
      if grep -qiE '\$_?(dlatch|latch)|\$_DLATCH' "$log"; then
        echo "FAIL synth: latch in LANES=$L BZ=$B ${def:-(production)} (log: $log)"
        fail=1
        continue
      fi
      cells=$(grep -E '^ +Number of cells:' "$log" | tail -1 | awk '{print $NF}')
      # Flip-flops of the last `stat` section (synth prints one of its own before ours).
      ffs=$(awk '/Number of cells:/ {s = 0} /^ +\$_[A-Z]*DFF/ {s += $NF} END {print s + 0}' "$log")
      echo "synth ok: LANES=$L BZ=$B ${def:-(production)} cells=$cells flip-flops=$ffs"
    done
  done
fi

if [ $fail -ne 0 ]; then
  echo "lint_dap: FAILED"
  exit 1
fi
echo "lint_dap: all clean"
