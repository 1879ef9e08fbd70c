#!/usr/bin/env bash
# Lint and synthesize one RTL block with its own contract (docs/<block>.md): the stand-alone blocks next to
# the systolic array, and the AON-CiM layer engine (rtl/cim: top cim_engine and its submodules).
#   Lint: Verilator -Wall over every parameter tuple of the block, production build and its
#   deliberate-fault defines; any output at all is a failure. A multi-file block also lints every
#   submodule as the top (one module per file, each lint-clean alone).
#   Synth: yosys `synth -top <block>; check -assert` (plus a latch grep) over a few tuples. The cim
#   engine's DPI-C imports sit under `ifdef VERILATOR`: synthesis sees the digital part only (a digital
#   stand-in gives the raw ADC codes), the analog crossbar is not in the netlist.
# Usage: scripts/lint_block.sh im2col_unit|dap_unit|cim_engine [--no-synth | --no-lint]
#   (SYNTH_LOG_DIR: where the yosys logs go, default /tmp)
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
  cim_engine)
    params=(N_IN K_MAX S_MAX LANES_IN LANES_OUT)
    # The last shape is the widest a shipped network needs (the VWW model on cim_aon: 2304 DAC rows, 256
    # channels).
    shapes="1,1,1,1,1 5,3,2,2,2 20,7,3,3,3 9,5,2,4,2 16,8,2,4,4 33,16,4,8,5 2304,256,1,32,32"
    synth_shapes="4,2,2,2,1"
    defines=("" "NPUSIM_FAULT_CIM_ADC_CLIP" "NPUSIM_FAULT_CIM_PERIPH_SHIFT")
    synth_defines=("")  # the fault defines only change constants; lint covers them
    submodules=(cim_controller cim_pwm_dac cim_adc_readout cim_periphery cim_requant) ;;
  *) echo "usage: scripts/lint_block.sh im2col_unit|dap_unit|cim_engine [--no-synth | --no-lint]" >&2; exit 2 ;;
esac
if [ "$block" = cim_engine ]; then
  srcs=(rtl/cim/cim_engine.v)
  for m in "${submodules[@]}"; do srcs+=("rtl/cim/$m.v"); done
else
  srcs=("rtl/systolic/$block.v")
  submodules=()
fi
[ -n "${synth_defines+x}" ] || synth_defines=("${defines[@]}")
logdir=${SYNTH_LOG_DIR:-/tmp}

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
      out=$(verilator --lint-only -Wall "${gflags[@]}" ${def:++define+$def} "${srcs[@]}" --top-module "$block" 2>&1)
      rc=$?
      runs=$((runs + 1))
      if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL lint: $desc${def:-(production)} (rc=$rc)"
        echo "$out"
        fail=1
      fi
    done
  done
  for m in "${submodules[@]}"; do
    out=$(verilator --lint-only -Wall "${srcs[@]}" --top-module "$m" 2>&1)
    rc=$?
    runs=$((runs + 1))
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
      echo "FAIL lint: $m as top (rc=$rc)"
      echo "$out"
      fail=1
    fi
  done
  echo "lint $block: $runs lint configurations run"
fi

if [ "$mode" != "--no-synth" ]; then
  for t in $synth_shapes; do
    expand "$t"
    for def in "${synth_defines[@]}"; do
      log=$logdir/synth_${block}_${t//,/x}${def:+_$def}.log
      if ! yosys -q -l "$log" -p "
read_verilog -sv ${def:+-D$def} ${srcs[*]}
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
