#!/usr/bin/env python3
"""The README's commands are tests.

  readme_commands.py extract README.md [LIST]   print the list file for README.md (labels kept from LIST)
  readme_commands.py check README.md LIST       exit 1 unless LIST holds exactly README.md's commands
  readme_commands.py run --source DIR --npusim PATH -- COMMAND
                                                run one README command from DIR, exit 0 iff it succeeds

Commands are the lines of README.md's ```bash blocks that start with `$B ` (B=build/npusim is set in
the block), `build/npusim ` or `./scripts/`; `A && B` runs both, B reading what A wrote. `./scripts/run-main` and `./scripts/test` are left out:
both apt-get install packages and rebuild the tree, and `test` runs this suite (it would recurse).
LIST (tests/e2e/readme_commands.txt) has one `LABEL: COMMAND` line per command; LABEL is `long` for a
command that takes over a minute, else `e2e`. CMake reads it at configure time (CTest needs its tests
then), one test per line.
"""
import os
import shlex
import subprocess
import sys
import tempfile
import time

EXCLUDED = {"./scripts/run-main", "./scripts/test"}
# Options whose value is a file or directory the command writes: redirected into a temporary directory
# so a test never writes into the source tree.
OUTPUT_OPTIONS = {"--json", "--csv", "--vcd", "--output", "--dump-tensors", "--md", "--synth-dir", "--out", "--plots",
                  "--db"}


def readme_commands(readme):
    """README.md's commands in order, without trailing comments."""
    cmds, in_bash = [], False
    with open(readme) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("```"):
                in_bash = line.strip() == "```bash" if not in_bash else False
                continue
            if not in_bash:
                continue
            words = shlex.split(line, comments=True)
            if not words:
                continue
            if not (words[0] in ("$B", "build/npusim") or words[0].startswith("./scripts/")):
                continue
            if words[0] in EXCLUDED:
                continue
            cmds.append(shlex.join(words).replace("'$B'", "$B"))
    return cmds


def read_list(path):
    """[(label, command)] of a list file; comment and blank lines skipped."""
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            label, sep, cmd = line.partition(": ")
            if not sep or label not in ("e2e", "long"):
                sys.exit(f"{path}:{n}: expected 'e2e: COMMAND' or 'long: COMMAND', got '{line}'")
            entries.append((label, cmd))
    return entries


HEADER = """\
# README.md's commands, one test each (tests/e2e/readme_commands.py): `LABEL: COMMAND`, LABEL `long` for
# commands that take over a minute on the 2-core development machine. Regenerate after editing the
# README's command blocks: python3 tests/e2e/readme_commands.py extract README.md tests/e2e/readme_commands.txt
"""


def cmd_extract(readme, old=None):
    labels = dict((c, l) for l, c in read_list(old)) if old and os.path.exists(old) else {}
    sys.stdout.write(HEADER)
    for c in readme_commands(readme):
        print(f"{labels.get(c, 'e2e')}: {c}")
    return 0


def cmd_check(readme, listed):
    want = readme_commands(readme)
    have = [c for _, c in read_list(listed)]
    if want == have:
        print(f"{listed}: in sync with {readme} ({len(want)} commands)")
        return 0
    for c in want:
        if c not in have:
            print(f"missing from {listed}: {c}")
    for c in have:
        if c not in want:
            print(f"not in {readme}: {c}")
    if sorted(want) == sorted(have):
        print("same commands in another order")
    print(f"regenerate: python3 tests/e2e/readme_commands.py extract {readme} {listed} > new && mv new {listed}")
    return 1


def program(source, npusim, words, command):
    """The segment's words with its program resolved (npusim, or a script given --build)."""
    if words[0] in ("$B", "build/npusim"):
        return [npusim] + words[1:]
    if words[0].startswith("./scripts/"):
        return [os.path.join(source, words[0][2:])] + words[1:] + ["--build", os.path.dirname(npusim)]
    sys.exit(f"not a README command: {command}")


def cmd_run(source, npusim, command):
    """Runs the command (`A && B`: A, then B) from the source tree; files the command writes go to a
    temporary directory, and a later part that reads one of them reads it there."""
    words = shlex.split(command)
    segments, cur = [], []
    for w in words:
        if w == "&&":
            segments.append(cur)
            cur = []
        else:
            cur.append(w)
    segments.append(cur)
    with tempfile.TemporaryDirectory(prefix="npusim_readme_") as tmp:
        written = {}  # as written in the README -> its path in tmp
        for seg in segments:
            seg = program(source, npusim, seg, command)
            outputs = []
            for i in range(1, len(seg)):
                if seg[i - 1] in OUTPUT_OPTIONS:
                    path = os.path.join(tmp, os.path.basename(seg[i]))
                    written[seg[i]] = path
                    seg[i] = path
                    outputs.append(path)
                elif seg[i] in written:
                    seg[i] = written[seg[i]]
            print("$", shlex.join(seg), flush=True)
            start = time.monotonic()
            rc = subprocess.run(seg, cwd=source).returncode
            secs = time.monotonic() - start
            print(f"exit {rc} after {secs:.1f} s", flush=True)
            if rc != 0:
                return 1
            for o in outputs:
                if not os.path.exists(o) or os.path.getsize(o) == 0:
                    print(f"FAIL: {o} was not written")
                    return 1
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "extract":
        return cmd_extract(*argv[1:3])
    if len(argv) == 3 and argv[0] == "check":
        return cmd_check(argv[1], argv[2])
    if len(argv) == 7 and argv[0] == "run" and argv[1] == "--source" and argv[3] == "--npusim" and argv[5] == "--":
        return cmd_run(argv[2], os.path.abspath(argv[4]), argv[6])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
