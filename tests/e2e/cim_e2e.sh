#!/usr/bin/env bash
# cim_e2e.sh NPUSIM SOURCE_DIR: the AON-CiM family from the CLI on the KWS DS-CNN and the VWW model.
#  - ideal mode (check list A1) in lockstep: every layer bit-exact against golden, model and RTL agree on
#    every port of cim_engine every cycle;
#  - the noisy design in lockstep: model and RTL agree (same seed, same analog reads), layers reported as
#    error statistics vs golden and vs noise-free, ADC clip rates and crossbar utilization in the JSON;
#  - the same command twice gives the same output; a model-backend run the same output as the lockstep run;
#  - --fast gives the cycle model's cycles (the engine's closed form);
#  - --compare-output against the noise-free design's output gives the network-level error;
#  - the VWW MobileNetV1-0.25 model in lockstep, ideal (bit-exact) and noisy (2304 DAC rows on its
#    depthwise layers: the widest engine a shipped model needs).
set -euo pipefail
npusim=$1 src=$2
aon=$src/configs/arch/cim_aon_64x256x256_14nm.yaml
ideal=$src/configs/arch/cim_ideal_64x256x256_14nm.yaml
model=$src/tests/data/models/kws_ref_model.tflite
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$npusim" run --arch "$ideal" --workload "$model" --backend lockstep)
grep -q '10 array layers bit-exact vs golden, 0 FAILED' <<<"$out" || fail "ideal mode not bit-exact: $out"
grep -q 'lockstep: model and RTL agreed on every output port of cim_engine' <<<"$out" || fail "no lockstep: $out"
echo "ideal: $(grep '^verification:' <<<"$out"); $(grep '^lockstep:' <<<"$out")"

out=$("$npusim" run --arch "$aon" --workload "$model" --backend lockstep --json "$tmp/ls.json" --output "$tmp/ls.npy")
grep -q '10 compared as error statistics' <<<"$out" || fail "noisy layers not compared as statistics: $out"
grep -q 'lockstep: model and RTL agreed on every output port of cim_engine' <<<"$out" || fail "no lockstep: $out"
grep -q 'vs noise-free: SNR' <<<"$out" || fail "no error vs noise-free: $out"
echo "noisy: $(grep '^lockstep:' <<<"$out")"
"$npusim" run --arch "$aon" --workload "$model" --json "$tmp/m1.json" --output "$tmp/m1.npy" >/dev/null
"$npusim" run --arch "$aon" --workload "$model" --json "$tmp/m2.json" --output "$tmp/m2.npy" >/dev/null
cmp -s "$tmp/m1.npy" "$tmp/m2.npy" || fail "the same command and seed gave different outputs"
cmp -s "$tmp/m1.npy" "$tmp/ls.npy" || fail "the model backend and the lockstep run gave different outputs"
"$npusim" run --arch "$aon" --workload "$model" --fast --json "$tmp/fast.json" >/dev/null
/usr/bin/python3 - "$tmp/m1.json" "$tmp/fast.json" "$tmp/ls.json" <<'PY'
import json, sys
m, f, ls = (json.load(open(p)) for p in sys.argv[1:])
assert m["total"]["cycles"] == f["total"]["cycles"], (m["total"]["cycles"], f["total"]["cycles"])
for a, b in zip(m["layers"], f["layers"]):
    assert a["cycles"] == b["cycles"], (a["name"], a["cycles"], b["cycles"])
arr = [l for l in ls["layers"] if l["unit"] == "array"]
for l in arr:
    fam = l["family"]
    for k in ("crossbar_utilization", "adc_clip_rate", "error_vs_noise_free", "error_vs_golden", "tiles"):
        assert k in fam, (l["name"], k)
    assert not l["exact_compare"] if "exact_compare" in l else True
print(f"fast = cycle model: {m['total']['cycles']} cycles; per layer: utilization, clip rate and errors in the JSON")
PY
"$npusim" run --arch "$aon" --workload "$model" --output "$tmp/clean.npy" --set noise.programming=false \
  --set noise.read=false --set noise.drift=false >/dev/null
out=$("$npusim" run --arch "$aon" --workload "$model" --compare-output "$tmp/clean.npy")
grep -q "^output vs $tmp/clean.npy: .* argmax" <<<"$out" || fail "no network-level comparison: $out"
grep '^output vs' <<<"$out"

vww=$src/tests/data/models/vww_96_int8.tflite
out=$("$npusim" run --arch "$ideal" --workload "$vww" --backend lockstep)
grep -q '28 array layers bit-exact vs golden, 0 FAILED' <<<"$out" || fail "VWW ideal not bit-exact: $out"
grep -q 'lockstep: model and RTL agreed on every output port of cim_engine' <<<"$out" || fail "VWW no lockstep"
echo "VWW ideal: $(grep '^lockstep:' <<<"$out")"
out=$("$npusim" run --arch "$aon" --workload "$vww" --backend lockstep)
grep -q '28 compared as error statistics' <<<"$out" || fail "VWW noisy layers not statistics: $out"
grep -q 'lockstep: model and RTL agreed on every output port of cim_engine' <<<"$out" || fail "VWW noisy no lockstep"
echo "VWW noisy: $(grep '^lockstep:' <<<"$out")"
echo "ok"
