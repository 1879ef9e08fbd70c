#!/usr/bin/env bash
# Lint the systolic-array RTL with Verilator -Wall over a matrix of shapes, both dataflows, and the
# production build plus each deliberate-fault define. Any output at all is a failure.
#   Scalar PEs (A = B = C = P = 1, SPARSE = 0): every shape in SCALAR_SHAPES, DATAFLOW 0 and 1.
#   Tensor PEs (OS only): every ROWS,COLS,A,B,C,P,SPARSE tuple in TENSOR_SHAPES, DATAFLOW 0.
set -u
cd "$(dirname "$0")/.."

SRCS="rtl/systolic/sa_array.v rtl/systolic/sa_pe.v"
SCALAR_SHAPES="1x1 1x4 4x1 3x5 16x16"
# ROWS,COLS,A,B,C,P,SPARSE
TENSOR_SHAPES="2,2,2,2,2,2,0 2,3,4,8,4,8,0 2,2,4,8,4,4,1 3,2,4,8,4,1,1 2,2,3,5,2,5,0 2,2,3,5,2,2,1
               1,1,2,8,2,4,1 1,3,1,16,1,16,0 3,1,2,1,3,1,1"
DEFINES=("" "+define+NPUSIM_FAULT_ACC_CLEAR" "+define+NPUSIM_FAULT_COL_SKEW" "+define+NPUSIM_FAULT_MUX_IDX")

fail=0
runs=0
lint() {  # lint ROWS COLS DATAFLOW A B C P SPARSE DEFINE
  local out rc
  # shellcheck disable=SC2086
  out=$(verilator --lint-only -Wall -GROWS="$1" -GCOLS="$2" -GDATAFLOW="$3" -GA="$4" -GB="$5" -GC="$6" \
        -GP="$7" -GSPARSE="$8" $9 $SRCS --top-module sa_array 2>&1)
  rc=$?
  runs=$((runs + 1))
  if [ $rc -ne 0 ] || [ -n "$out" ]; then
    echo "FAIL: ROWS=$1 COLS=$2 DATAFLOW=$3 A=$4 B=$5 C=$6 P=$7 SPARSE=$8 ${9:-(production)} (rc=$rc)"
    echo "$out"
    fail=1
  fi
}

for shape in $SCALAR_SHAPES; do
  R=${shape%x*}
  C=${shape#*x}
  for D in 0 1; do
    for def in "${DEFINES[@]}"; do
      lint "$R" "$C" "$D" 1 1 1 1 0 "$def"
    done
  done
done

for t in $TENSOR_SHAPES; do
  IFS=, read -r R C TA TB TC TP TS <<<"$t"
  for def in "${DEFINES[@]}"; do
    lint "$R" "$C" 0 "$TA" "$TB" "$TC" "$TP" "$TS" "$def"
  done
done

if [ $fail -ne 0 ]; then
  echo "lint_rtl: FAILED"
  exit 1
fi
echo "lint_rtl: $runs configurations clean"
