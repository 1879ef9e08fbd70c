#!/usr/bin/env bash
# chained_output.sh NPUSIM ARCH WORKLOAD [ARGS...]: runs the network chained on the cycle model with
# --output, and the golden network (--fast: golden ops only, no simulation) with --output, and checks
# that the two final tensors are byte-identical, that the run said "execution: chained" and that every
# array layer was bit-exact.
set -euo pipefail
npusim=$1 arch=$2 workload=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$npusim" run --arch "$arch" --workload "$workload" --output "$tmp/accel.npy" --json "$tmp/r.json" "$@" > "$tmp/out.txt"
"$npusim" run --arch "$arch" --workload "$workload" --output "$tmp/golden.npy" --fast "$@" > /dev/null
grep -q '^execution: chained' "$tmp/out.txt" || { echo "FAIL: not chained"; head -3 "$tmp/out.txt"; exit 1; }
grep -q '"execution": "chained"' "$tmp/r.json" || { echo "FAIL: JSON does not say chained"; exit 1; }
grep -E '^verification: [0-9]+ array layers bit-exact vs golden, 0 FAILED' "$tmp/out.txt" || { tail -3 "$tmp/out.txt"; exit 1; }
cmp "$tmp/accel.npy" "$tmp/golden.npy" || { echo "FAIL: network output differs from the golden network's"; exit 1; }
echo "ok: $(basename "$workload") on $(basename "$arch"): network output ($(stat -c %s "$tmp/accel.npy") bytes) equals the golden network's"
