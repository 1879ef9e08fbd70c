#!/usr/bin/env bash
# Regenerates the TFLite reference data into a temporary directory with scripts/tflite-reference and compares it,
# file for file and byte for byte, with the committed tests/data/tflite_ref and tests/data/tflite_ops.
# Exit status: 0 identical; 1 different or failed; 77 skipped (node, npm or the npm package unavailable).
set -uo pipefail

here=${BASH_SOURCE[0]%/*}
[ "$here" = "${BASH_SOURCE[0]}" ] && here=.
root=$(cd "$here/../.." && pwd)

if ! command -v node >/dev/null 2>&1; then
    echo "SKIPPED: node not found on PATH"; exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/npusim-tflite-ref.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$root/scripts/tflite-reference" --out "$tmp" > "$tmp/log" 2>&1
rc=$?
if [ "$rc" = 3 ]; then
    echo "SKIPPED: the TFLite interpreter package is unavailable: $(tail -n 1 "$tmp/log")"; exit 77
fi
if [ "$rc" != 0 ]; then
    echo "FAILED: scripts/tflite-reference exited with $rc:"; cat "$tmp/log"; exit 1
fi

status=0
for d in tflite_ref tflite_ops; do
    [ -d "$root/tests/data/$d" ] || [ -n "$(ls -A "$tmp/$d" 2>/dev/null)" ] || continue
    if ! diff -r "$root/tests/data/$d" "$tmp/$d" > "$tmp/diff.$d" 2>&1; then
        echo "FAILED: regenerated $d differs from tests/data/$d:"; head -n 40 "$tmp/diff.$d"; status=1
    fi
done
if [ "$status" = 0 ]; then
    n=$(ls "$tmp"/tflite_ref/*.ref.json "$tmp"/tflite_ops/*.ref.json 2>/dev/null | wc -l)
    echo "tflite reference data reproduced: $n .ref.json files and their inputs identical"
fi
exit "$status"
