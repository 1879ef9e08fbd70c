#!/usr/bin/env bash
# Lint and synthesize the hardware IM2COL unit (rtl/systolic/im2col_unit.v, docs/im2col_unit.md).
#   Lint: Verilator -Wall over every LANES,B,DEPTH,LW tuple in SHAPES, production build and the
#   deliberate-fault define; any output at all is a failure.
#   Synth: yosys `synth -top im2col_unit; check -assert` (plus a latch grep) over SYNTH_SHAPES.
# Usage: scripts/lint_im2col.sh [--no-synth]
set -u
cd "$(dirname "$0")/.."

SRC=rtl/systolic/im2col_unit.v
# LANES,B,DEPTH,LW
SHAPES="1,1,1,1 1,1,2,1 4,2,10,3 16,8,48,4 3,1,2,5 2,3,7,8 5,4,16,2 1,8,33,1 8,1,1,4"
SYNTH_SHAPES="1,1,1,1 4,2,10,3 16,8,48,4"
DEFINES=("" "NPUSIM_FAULT_IM2COL_BANK")

fail=0
runs=0
for t in $SHAPES; do
  IFS=, read -r L B D W <<<"$t"
  for def in "${DEFINES[@]}"; do
    out=$(verilator --lint-only -Wall -GLANES="$L" -GB="$B" -GDEPTH="$D" -GLW="$W" ${def:++define+$def} \
          "$SRC" --top-module im2col_unit 2>&1)
    rc=$?
    runs=$((runs + 1))
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
      echo "FAIL lint: LANES=$L B=$B DEPTH=$D LW=$W ${def:-(production)} (rc=$rc)"
      echo "$out"
      fail=1
    fi
  done
done
echo "lint_im2col: $runs lint configurations run"

if [ "${1:-}" != "--no-synth" ]; then
  for t in $SYNTH_SHAPES; do
    IFS=, read -r L B D W <<<"$t"
    for def in "${DEFINES[@]}"; do
      log=/tmp/synth_im2col_${L}x${B}x${D}x${W}${def:+_fault}.log
      if ! yosys -q -l "$log" -p "
read_verilog -sv ${def:+-D$def} $SRC
chparam -set LANES $L -set B $B -set DEPTH $D -set LW $W im2col_unit
synth -top im2col_unit
check -assert
stat" >/dev/null 2>&1; then
        echo "FAIL synth: LANES=$L B=$B DEPTH=$D LW=$W ${def:-(production)} (log: $log)"
        fail=1
        continue
      fi
      if grep -qiE '\$_?(dlatch|latch)|\$_DLATCH' "$log"; then
        echo "FAIL synth: latch in LANES=$L B=$B DEPTH=$D LW=$W ${def:-(production)} (log: $log)"
        fail=1
        continue
      fi
      cells=$(grep -E '^ +Number of cells:' "$log" | tail -1 | awk '{print $NF}')
      echo "synth ok: LANES=$L B=$B DEPTH=$D LW=$W ${def:-(production)} cells=$cells"
    done
  done
fi

if [ $fail -ne 0 ]; then
  echo "lint_im2col: FAILED"
  exit 1
fi
echo "lint_im2col: all clean"
