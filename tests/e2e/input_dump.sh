#!/usr/bin/env bash
# input_dump.sh NPUSIM SOURCE_DIR: --input sets the network input of a chained network, --dump-tensors
# writes one .npy per layer, --output the final tensor (equal to the last layer's dump); the output
# depends on the input and is the same for the same input.
set -euo pipefail
npusim=$1 src=$2
arch=$src/configs/arch/sa_16x16_os.yaml wl=$src/workloads/tinymlperf_ic_resnet8.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3; [ -x "$py" ] || py=python3  # Debian's python3-numpy
"$py" - "$tmp" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(5)
for name in ("x1", "x2"):
    np.save(f"{sys.argv[1]}/{name}.npy", rng.integers(-128, 128, size=(32, 32, 3), dtype=np.int8))
PY
"$npusim" run --arch "$arch" --workload "$wl" --input "$tmp/x1.npy" --dump-tensors "$tmp/d1" --output "$tmp/y1.npy" > /dev/null
"$npusim" run --arch "$arch" --workload "$wl" --input "$tmp/x1.npy" --output "$tmp/y1b.npy" > /dev/null
"$npusim" run --arch "$arch" --workload "$wl" --input "$tmp/x2.npy" --output "$tmp/y2.npy" > /dev/null
layers=$(grep -vc -e '^#' -e '^name,' "$wl")
dumped=$(ls "$tmp/d1" | wc -l)
[ "$dumped" = "$layers" ] || { echo "FAIL: $dumped tensors dumped for $layers layers"; exit 1; }
cmp "$tmp/y1.npy" "$tmp/d1/model_dense_MatMul.npy" || { echo "FAIL: --output is not the last layer's tensor"; exit 1; }
cmp "$tmp/y1.npy" "$tmp/y1b.npy" || { echo "FAIL: same input, different output"; exit 1; }
if cmp -s "$tmp/y1.npy" "$tmp/y2.npy"; then echo "FAIL: the output does not depend on --input"; exit 1; fi
"$py" -c "import numpy as np, sys; y = np.load(sys.argv[1]); assert y.dtype == np.int8 and y.size == 10, y.shape" "$tmp/y1.npy"
echo "ok: $dumped layer tensors, output follows the input"
