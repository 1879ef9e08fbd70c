#!/usr/bin/env bash
# expect_error.sh EXIT_CODE SUBSTRING -- COMMAND...: COMMAND must exit with EXIT_CODE and print exactly
# one line on stderr, containing SUBSTRING (the file, key or line it names).
set -u
want_rc=$1 want=$2
shift 3
err=$("$@" 2>&1 >/dev/null)
rc=$?
lines=$(printf '%s\n' "$err" | grep -c .)
if [ "$rc" != "$want_rc" ]; then echo "FAIL: exit code $rc, expected $want_rc; stderr: $err"; exit 1; fi
if [ "$lines" != 1 ]; then echo "FAIL: expected one line on stderr, got $lines: $err"; exit 1; fi
case "$err" in *"$want"*) ;; *) echo "FAIL: stderr does not name '$want': $err"; exit 1 ;; esac
echo "ok: $err"
