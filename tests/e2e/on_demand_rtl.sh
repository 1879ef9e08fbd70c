#!/usr/bin/env bash
# A shape the build did not prebuild: npusim verilates and caches it on first use (in a private cache
# dir), runs it in lockstep with a VCD of both sides, and reuses the cache the second time.
set -eu
npusim=$1 arch=$2 dir=$3
rm -rf "$dir"
mkdir -p "$dir"
export NPUSIM_RTL_CACHE="$dir/cache"
"$npusim" cosim --arch "$arch" --set array.rows=2 --set array.cols=3 --gemm 7,5,4 --seed 2 --vcd "$dir/both.vcd" 2>"$dir/err1"
grep -q "building RTL plugin" "$dir/err1"
grep -q '\$enddefinitions' "$dir/both.vcd"
grep -q 'module model' "$dir/both.vcd"
grep -q 'module rtl' "$dir/both.vcd"
test -s "$dir/both.vcd.rtl.vcd"
"$npusim" cosim --arch "$arch" --set array.rows=2 --set array.cols=3 --gemm 9,3,5 --seed 3 --vcd "$dir/again.vcd" 2>"$dir/err2"
if grep -q "building" "$dir/err2"; then echo "FAIL: cached plugin was rebuilt"; exit 1; fi
echo "on-demand RTL build, cache reuse and VCD of both sides: ok"
