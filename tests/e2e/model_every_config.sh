#!/usr/bin/env bash
# A real model on every shipped arch config: every accelerator layer bit-exact against golden, and on the
# designs that leave the model unchanged (no DBB pruning, no symmetric re-quantization) the final output
# equals the real TFLite interpreter's (tests/data/tflite_ref, builtin kernels); the others report their
# agreement with the unchanged model.
# usage: model_every_config.sh NPUSIM SOURCE_DIR MODEL
set -euo pipefail
npusim=$1 src=$2 model=$3
ref=$src/tests/data/tflite_ref/$model
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
want=$(python3 -c "import json,sys; print(' '.join(map(str, json.load(open('$ref.ref.json'))['runs'][0]['final_outputs'][0]['values'])))")
fail=0
for arch in "$src"/configs/arch/*.yaml; do
  name=$(basename "$arch" .yaml)
  if grep -q '^family: cim' "$arch"; then
    # Analog tiles: the periphery implements TFLite's reference (double-rounding) requantization, so the
    # reference kernels; the ideal mode is bit-exact per layer, the noisy design reports error statistics.
    out=$("$npusim" run --arch "$arch" --workload "$src/tests/data/models/$model.tflite" --input "$ref.input0.npy" \
          2>&1) || { echo "$name: FAILED to run: $out"; fail=1; continue; }
    grep -q ' 0 FAILED' <<<"$out" || { echo "$name: a layer failed its check"; fail=1; continue; }
    echo "$name: $(grep '^verification:' <<<"$out")"
    continue
  fi
  out=$("$npusim" run --arch "$arch" --workload "$src/tests/data/models/$model.tflite" --input "$ref.input0.npy" \
        --kernels builtin --lstm tflite-2021 --output "$tmp/out.npy" 2>&1) || { echo "$name: FAILED to run: $out"; fail=1; continue; }
  grep -q ' 0 FAILED' <<<"$out" || { echo "$name: a layer is not bit-exact against golden"; fail=1; continue; }
  got=$(python3 -c "
import sys
b = open('$tmp/out.npy','rb').read()
n = int.from_bytes(b[8:10], 'little')
print(' '.join(str(v - 256 if v > 127 else v) for v in b[10 + n:]))")
  if grep -q 'model: the design changed\|model: re-quantized' <<<"$out"; then
    echo "$name: every layer bit-exact; $(grep 'final output vs the unchanged model' <<<"$out" | sed 's/^model: //')"
  elif [[ "$got" == "$want" ]]; then
    echo "$name: every layer bit-exact; final output equal to the real TFLite interpreter's"
  else
    echo "$name: final output [$got] differs from the interpreter's [$want]"
    fail=1
  fi
done
exit $fail
