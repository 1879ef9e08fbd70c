#!/usr/bin/env bash
# Lint and synthesize the cim layer engine rtl/cim (top cim_engine and its submodules):
#   Lint: Verilator -Wall over a few parameter tuples, production build and each deliberate-fault define;
#   any output at all is a failure.
#   Synth: yosys `synth -top cim_engine; check -assert` (plus a latch grep) of small tuples. Synthesis
#   sees no DPI-C import (they sit under `ifdef VERILATOR`): the analog crossbar is not part of the
#   digital netlist; a digital stand-in gives the raw ADC codes there.
# Usage: scripts/lint_cim.sh [--no-synth | --no-lint]   (SYNTH_LOG_DIR: where the yosys logs go)
set -u
cd "$(dirname "$0")/.."

mode=${1:-}
params=(N_IN K_MAX S_MAX LANES_IN LANES_OUT)
# The last shape is the widest a shipped network needs (the VWW model on cim_aon: 2304 DAC rows, 256 channels).
shapes="1,1,1,1,1 5,3,2,2,2 20,7,3,3,3 9,5,2,4,2 16,8,2,4,4 33,16,4,8,5 2304,256,1,32,32"
synth_shapes="4,2,2,2,1"
synth_defines=("")  # the production RTL (the fault defines only change constants; lint covers them)
defines=("" "NPUSIM_FAULT_CIM_ADC_CLIP" "NPUSIM_FAULT_CIM_PERIPH_SHIFT")
srcs=(rtl/cim/cim_engine.v rtl/cim/cim_controller.v rtl/cim/cim_pwm_dac.v rtl/cim/cim_adc_readout.v
  rtl/cim/cim_periphery.v rtl/cim/cim_requant.v)
logdir=${SYNTH_LOG_DIR:-/tmp}

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
      out=$(verilator --lint-only -Wall "${gflags[@]}" ${def:++define+$def} "${srcs[@]}" --top-module cim_engine 2>&1)
      rc=$?
      runs=$((runs + 1))
      if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL lint: $desc${def:-(production)} (rc=$rc)"
        echo "$out"
        fail=1
      fi
    done
  done
  # Each submodule on its own as a top (one module per file, each lint-clean alone).
  for m in cim_controller cim_pwm_dac cim_adc_readout cim_periphery cim_requant; do
    out=$(verilator --lint-only -Wall "${srcs[@]}" --top-module $m 2>&1)
    rc=$?
    runs=$((runs + 1))
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
      echo "FAIL lint: $m as top (rc=$rc)"
      echo "$out"
      fail=1
    fi
  done
  echo "lint cim_engine: $runs lint configurations run"
fi

if [ "$mode" != "--no-synth" ]; then
  for t in $synth_shapes; do
    expand "$t"
    for def in "${synth_defines[@]}"; do
      log=$logdir/synth_cim_engine_${t//,/x}${def:+_$def}.log
      if ! yosys -q -l "$log" -p "
read_verilog -sv ${def:+-D$def} ${srcs[*]}
chparam$chparam cim_engine
synth -top cim_engine
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
  echo "lint cim_engine: FAILED"
  exit 1
fi
echo "lint cim_engine: all clean"
