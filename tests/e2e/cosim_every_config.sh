#!/usr/bin/env bash
# cosim_every_config.sh NPUSIM SOURCE_DIR: `npusim cosim --gemm` in lockstep on every shipped arch config
# (every family mode: SA OS/WS, STA, STA-DBB, VDBB, hardware IM2COL, SA-ZVCG, S2TA-W/A/AW), shrunk to
# 2x2 (tensor) PEs so the RTL builds in seconds; each must exit 0 with a bit-exact golden check.
set -uo pipefail
npusim=$1 src=$2
fail=0
for cfg in "$src"/configs/arch/*.yaml; do
  # A GEMM is one fc layer: the systolic configs' command (FixyNN's lockstep runs on networks, fixynn_e2e).
  grep -q '^family: systolic' "$cfg" || { echo "skip $(basename "$cfg"): not a systolic config"; continue; }
  out=$("$npusim" cosim --arch "$cfg" --gemm 21,40,13 --seed 5 --set array.rows=2 --set array.cols=2 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || ! grep -q "golden check: bit-exact" <<<"$out"; then
    echo "FAIL $(basename "$cfg"): exit $rc: $out"
    fail=1
  else
    echo "ok $(basename "$cfg"): $(grep -o 'lockstep of .* cycles;' <<<"$out")"
  fi
done
exit $fail
