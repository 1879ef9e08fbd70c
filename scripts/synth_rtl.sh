#!/usr/bin/env bash
# Synthesize sa_array with yosys (generic gates) and print its cell count.
#   scripts/synth_rtl.sh ROWS COLS DATAFLOW [extra yosys read_verilog args, e.g. -DNPUSIM_FAULT_COL_SKEW]
# Fails if yosys fails or if `check -assert` finds a problem (latches, multiple drivers, loops...).
# The full yosys log goes to ${SYNTH_LOG:-/tmp/synth_sa_array_<R>x<C>_<D>.log}.
set -eu
if [ $# -lt 3 ]; then
  echo "usage: $0 ROWS COLS DATAFLOW [read_verilog defines...]" >&2
  exit 2
fi
R=$1; C=$2; D=$3; shift 3
cd "$(dirname "$0")/.."
LOG=${SYNTH_LOG:-/tmp/synth_sa_array_${R}x${C}_${D}.log}

yosys -q -l "$LOG" -p "
read_verilog -sv $* rtl/systolic/sa_pe.v rtl/systolic/sa_array.v
chparam -set ROWS $R -set COLS $C -set DATAFLOW $D sa_array
synth -top sa_array -flatten
check -assert
stat
" >/dev/null

if grep -qiE '\$_?(dlatch|latch)|\$_DLATCH' "$LOG"; then
  echo "synth_rtl: latch found in the netlist (see $LOG)" >&2
  exit 1
fi
cells=$(grep -E '^ +Number of cells:' "$LOG" | tail -1 | awk '{print $NF}')
echo "sa_array ROWS=$R COLS=$C DATAFLOW=$D: cells=$cells (log: $LOG)"
# the final `stat` (synth prints one of its own before `check`)
last=$(grep -nE '^ +Number of cells:' "$LOG" | tail -1 | cut -d: -f1)
tail -n +"$((last + 1))" "$LOG" | sed -n '/^ *$/q; s/^ */  /p'
