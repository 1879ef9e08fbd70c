#!/usr/bin/env bash
# Synthesize sa_array with yosys (generic gates) and print its cell count.
#   scripts/synth_rtl.sh ROWS COLS DATAFLOW [A B C P SPARSE] [extra yosys read_verilog args, e.g. -DNPUSIM_FAULT_COL_SKEW]
# A B C P SPARSE (tensor PEs, OS only) are optional and default to 1 1 1 1 0 (the scalar array); give
# all five or none.
# Fails if yosys fails or if `check -assert` finds a problem (latches, multiple drivers, loops...).
# The full yosys log goes to ${SYNTH_LOG:-/tmp/synth_sa_array_<R>x<C>_<D>[_<A>x<B>x<C>_p<P>_s<SPARSE>].log}.
set -eu
if [ $# -lt 3 ]; then
  echo "usage: $0 ROWS COLS DATAFLOW [A B C P SPARSE] [read_verilog defines...]" >&2
  exit 2
fi
R=$1; C=$2; D=$3; shift 3
TA=1; TB=1; TC=1; TP=1; TS=0
if [ $# -ge 1 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  if [ $# -lt 5 ]; then
    echo "usage: $0 ROWS COLS DATAFLOW [A B C P SPARSE] [read_verilog defines...]" >&2
    exit 2
  fi
  TA=$1; TB=$2; TC=$3; TP=$4; TS=$5; shift 5
fi
cd "$(dirname "$0")/.."
TAG=${R}x${C}_${D}
if [ "$TA$TB$TC$TP$TS" != "11110" ]; then TAG=${TAG}_${TA}x${TB}x${TC}_p${TP}_s${TS}; fi
LOG=${SYNTH_LOG:-/tmp/synth_sa_array_${TAG}.log}

yosys -q -l "$LOG" -p "
read_verilog -sv $* rtl/systolic/sa_pe.v rtl/systolic/sa_array.v
chparam -set ROWS $R -set COLS $C -set DATAFLOW $D -set A $TA -set B $TB -set C $TC -set P $TP -set SPARSE $TS sa_array
synth -top sa_array -flatten
check -assert
stat
" >/dev/null

if grep -qiE '\$_?(dlatch|latch)|\$_DLATCH' "$LOG"; then
  echo "synth_rtl: latch found in the netlist (see $LOG)" >&2
  exit 1
fi
cells=$(grep -E '^ +Number of cells:' "$LOG" | tail -1 | awk '{print $NF}')
shape="ROWS=$R COLS=$C DATAFLOW=$D"
if [ "$TA$TB$TC$TP$TS" != "11110" ]; then shape="$shape A=$TA B=$TB C=$TC P=$TP SPARSE=$TS"; fi
echo "sa_array $shape: cells=$cells (log: $LOG)"
# the final `stat` (synth prints one of its own before `check`)
last=$(grep -nE '^ +Number of cells:' "$LOG" | tail -1 | cut -d: -f1)
tail -n +"$((last + 1))" "$LOG" | sed -n '/^ *$/q; s/^ */  /p'
