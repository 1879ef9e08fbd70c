#!/usr/bin/env bash
# Lint the systolic-array RTL with Verilator -Wall over a matrix of shapes, both dataflows, and the
# production build plus each deliberate-fault define. Any output at all is a failure.
set -u
cd "$(dirname "$0")/.."

SRCS="rtl/systolic/sa_array.v rtl/systolic/sa_pe.v"
SHAPES="1x1 1x4 4x1 3x5 16x16"
DEFINES=("" "+define+NPUSIM_FAULT_ACC_CLEAR" "+define+NPUSIM_FAULT_COL_SKEW")

fail=0
runs=0
for shape in $SHAPES; do
  R=${shape%x*}
  C=${shape#*x}
  for D in 0 1; do
    for def in "${DEFINES[@]}"; do
      # shellcheck disable=SC2086
      out=$(verilator --lint-only -Wall -GROWS="$R" -GCOLS="$C" -GDATAFLOW="$D" $def \
            $SRCS --top-module sa_array 2>&1)
      rc=$?
      runs=$((runs + 1))
      if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL: ROWS=$R COLS=$C DATAFLOW=$D ${def:-(production)} (rc=$rc)"
        echo "$out"
        fail=1
      fi
    done
  done
done

if [ $fail -ne 0 ]; then
  echo "lint_rtl: FAILED"
  exit 1
fi
echo "lint_rtl: $runs configurations clean"
