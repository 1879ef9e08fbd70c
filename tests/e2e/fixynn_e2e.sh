#!/usr/bin/env bash
# fixynn_e2e.sh NPUSIM SOURCE_DIR: the FixyNN family from the CLI.
#  - the VWW model with its first 3 layers fixed: every layer bit-exact, front and back end pipelined in the
#    report (text and JSON: two parts, frame period = the slower part, latency = the sum);
#  - `npusim fixynn generate` on the same design writes one module per stage, a top and a manifest whose
#    stages match the run, lint-clean under verilator -Wall;
#  - --fast gives the same front-end frame cycles as the cycle model (the timing needs no values).
set -euo pipefail
npusim=$1 src=$2
arch=$src/configs/arch/fixynn_3_sta_2x8x2_8x4.yaml
model=$src/tests/data/models/vww_96_int8.tflite
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$npusim" run --arch "$arch" --workload "$model" --json "$tmp/run.json")
grep -q ' 0 FAILED' <<<"$out" || fail "a layer is not bit-exact: $out"
grep -q '^pipeline: 2 parts' <<<"$out" || fail "no pipeline line"
grep -q 'part fixed front end: 3 layers' <<<"$out" || fail "no front-end part"
grep -q 'fixed stage 1 (model/activation_1/Relu+model/activation_2/Relu)' <<<"$out" || fail "dw+pw not fused"
/usr/bin/python3 - "$tmp/run.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["total"]
parts = t["pipeline"]
assert [p["name"] for p in parts] == ["fixed front end", "programmable back end"], parts
assert abs(t["frame_period_s"] - max(p["frame_s"] for p in parts)) < 1e-15, t
assert abs(t["latency_s"] - sum(p["frame_s"] for p in parts)) < 1e-15, t
front = parts[0]
assert front["clock_mhz"] == 810 and front["frame_cycles"] >= 96 * 96, front
assert parts[1]["clock_mhz"] == 1000, parts[1]
for p in parts:
    assert abs(p["idle_s"] - (t["frame_period_s"] - p["frame_s"])) < 1e-15, p
print("pipeline ok: front %d cycles at 810 MHz, period %.3g s, latency %.3g s" %
      (front["frame_cycles"], t["frame_period_s"], t["latency_s"]))
PY

"$npusim" fixynn generate --arch "$arch" --workload "$model" --out "$tmp/rtl" >"$tmp/gen.txt"
for f in fixynn_stage0.v fixynn_stage1.v fixynn_top.v manifest.json; do
  [ -s "$tmp/rtl/$f" ] || fail "generate did not write $f"
done
[ ! -e "$tmp/rtl/fixynn_stage2.v" ] || fail "3 layers with dw+pw fused must give 2 stages"
/usr/bin/python3 -c "
import json; m = json.load(open('$tmp/rtl/manifest.json'))
assert len(m['stages']) == 2, m['stages']
print('manifest ok:', [s['name'] for s in m['stages']])"
lint=$(verilator --lint-only -Wall --top-module fixynn_top "$tmp"/rtl/*.v 2>&1) || fail "lint: $lint"
[ -z "$lint" ] || fail "lint output: $lint"
echo "generate ok, lint clean"

fast=$("$npusim" run --arch "$arch" --workload "$model" --fast --json "$tmp/fast.json")
/usr/bin/python3 -c "
import json
a = json.load(open('$tmp/run.json'))['total']['pipeline'][0]['frame_cycles']
b = json.load(open('$tmp/fast.json'))['total']['pipeline'][0]['frame_cycles']
assert a == b, (a, b)
print('fast front end frame cycles equal the cycle model:', a)"
