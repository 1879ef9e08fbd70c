#!/usr/bin/env bash
# --fast core energy (closed-form traffic, assumed operand activity, no zero gating) must stay within 10 % of
# the cycle model's (counted activity and gating) on TinyMLPerf ResNet-8, on a dense, a DBB and an S2TA
# design. Usage: fast_energy.sh NPUSIM REPO
set -euo pipefail
npusim=$1
repo=$2
wl=$repo/workloads/tinymlperf_ic_resnet8.csv
for cfg in sa_16x16_os sta_dbb_2x8x2_8x4 s2ta_aw_4x1x4_8x8_16nm; do
  arch=$repo/configs/arch/$cfg.yaml
  # Core energy (without DRAM, which both modes count alike): what the activity estimate affects.
  core() { grep '^energy:' | grep -oE '[0-9.]+ uJ core' | awk '{print $1}'; }
  cyc=$("$npusim" run --arch "$arch" --workload "$wl" --w-nnz 4 --a-nnz 4 | core)
  fast=$("$npusim" run --arch "$arch" --workload "$wl" --w-nnz 4 --a-nnz 4 --fast | core)
  echo "$cfg: core energy cycle model $cyc uJ, --fast $fast uJ"
  awk -v a="$cyc" -v b="$fast" 'BEGIN { d = (b - a) / a; if (a <= 0 || d > 0.1 || d < -0.1) exit 1 }' ||
    { echo "FAIL: $cfg --fast energy more than 10 % off"; exit 1; }
done
