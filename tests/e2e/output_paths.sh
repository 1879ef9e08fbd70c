#!/usr/bin/env bash
# Output paths are checked before a run starts and written atomically (sim/common/output_file.h).
# output_paths.sh NPUSIM ARCH SLOW_WORKLOAD TINY_WORKLOAD DIR
set -u
npusim=$1 arch=$2 slow=$3 tiny=$4 dir=$5
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$dir" && mkdir -p "$dir"

# An unwritable --json on a workload that takes seconds: exit 2 at once, one line naming the option and
# path, nothing on stdout (no table: the simulation never started).
start=$(date +%s%N)
"$npusim" run --arch "$arch" --workload "$slow" --json /nonexistent_dir/r.json >"$dir/out" 2>"$dir/err"
rc=$? ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $rc = 2 ] || fail "exit $rc, expected 2: $(cat "$dir/err")"
[ "$(grep -c . "$dir/err")" = 1 ] || fail "expected one line on stderr: $(cat "$dir/err")"
grep -q -- '--json /nonexistent_dir/r.json' "$dir/err" || fail "stderr does not name --json and the path"
[ ! -s "$dir/out" ] || fail "a report was printed before the check: $(head -3 "$dir/out")"
[ $ms -lt 2000 ] || fail "took $ms ms: checked after the run?"
echo "ok: $(cat "$dir/err") (${ms} ms)"

# A successful run replaces an existing report in place and leaves no temporary file behind.
echo partial > "$dir/r.json"
"$npusim" run --arch "$arch" --workload "$tiny" --json "$dir/r.json" --csv "$dir/r.csv" >/dev/null ||
  fail "run with --json/--csv failed"
python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$dir/r.json" || fail "r.json is not valid JSON"
grep -q '^TOTAL,' "$dir/r.csv" || fail "r.csv has no TOTAL row"
leftover=$(find "$dir" -name '.*tmp*')
[ -z "$leftover" ] || fail "temporary files left: $leftover"
echo "ok: reports replaced atomically, no temporary files left"
