#!/usr/bin/env bash
# Lint and synthesize one of the stand-alone RTL blocks next to the array (docs/<block>.md):
#   Lint: Verilator -Wall over every parameter tuple of the block, production build and its
#   deliberate-fault define; any output at all is a failure.
#   Synth: yosys `synth -top <block>; check -assert` (plus a latch grep) over a few tuples.
# Usage: scripts/lint_block.sh im2col_unit|dap_unit [--no-synth | --no-lint]
set -u
cd "$(dirname "$0")/.."

block=${1:-}
mode=${2:-}
case "$block" in
  im2col_unit)
    params=(LANES B DEPTH LW)
    shapes="1,1,1,1 1,1,2,1 4,2,10,3 16,8,48,4 3,1,2,5 2,3,7,8 5,4,16,2 1,8,33,1 8,1,1,4"
    synth_shapes="1,1,1,1 4,2,10,3 16,8,48,4"
    defines=("" "NPUSIM_FAULT_IM2COL_BANK") ;;
  dap_unit)
    params=(LANES BZ)
    shapes="1,1 4,1 1,2 3,3 2,5 2,7 1,8 4,8 8,4 1,16 4,16"
    synth_shapes="1,1 2,5 4,8"
    defines=("" "NPUSIM_FAULT_DAP_TIE" "NPUSIM_FAULT_DAP_NO_RESET") ;;
  *) echo "usage: scripts/lint_block.sh im2col_unit|dap_unit [--no-synth | --no-lint]" >&2; exit 2 ;;
esac
src=rtl/systolic/$block.v

# For tuple $1: verilator -G flags, yosys chparam flags and a description.
expand() {
  IFS=, read -ra vals <<<"$1"
  gflags=(); chparam=""; desc=""
  for i in "${!params[@]}"; do
    gflags+=("-G${params[$i]}=${vals[$i]}")
    chparam+=" -set ${params[$i]} ${vals[$i]}"
    desc+="${params[$i]}=${vals[$i]} "
  done
}

fail=0
if [ "$mode" != "--no-lint" ]; then
  runs=0
  for t in $shapes; do
    expand "$t"
    for def in "${defines[@]}"; do
      out=$(verilator --lint-only -Wall "${gflags[@]}" ${def:++define+$def} "$src" --top-module "$block" 2>&1)
      rc=$?
      runs=$((runs + 1))
      if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL lint: $desc${def:-(production)} (rc=$rc)"
        echo "$out"
        fail=1
      fi
    done
  done
  echo "lint $block: $runs lint configurations run"
fi

if [ "$mode" != "--no-synth" ]; then
  for t in $synth_shapes; do
    expand "$t"
    for def in "${defines[@]}"; do
      log=/tmp/synth_${block}_${t//,/x}${def:+_$def}.log
      if ! yosys -q -l "$log" -p "
read_verilog -sv ${def:+-D$def} $src
chparam$chparam $block
synth -top $block
check -assert
stat" >/dev/null 2>&1; then
        echo "FAIL synth: $desc${def:-(production)} (log: $log)"
        fail=1
        continue
      fi
      if grep -qiE '\$_?(dlatch|latch)|\$_DLATCH' "$log"; then
        echo "FAIL synth: latch in $desc${def:-(production)} (log: $log)"
        fail=1
        continue
      fi
      cells=$(grep -E '^ +Number of cells:' "$log" | tail -1 | awk '{print $NF}')
      echo "synth ok: $desc${def:-(production)} cells=$cells"
    done
  done
fi

if [ $fail -ne 0 ]; then
  echo "lint $block: FAILED"
  exit 1
fi
echo "lint $block: all clean"
