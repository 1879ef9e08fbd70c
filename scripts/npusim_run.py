"""Shared helper of the comparison scripts: run `npusim run` once and return its JSON report."""
import json
import os
import subprocess
import sys
import tempfile


def run_report(npusim, arch, workload, extra=(), fast=False, seed=1, who="npusim_run"):
    """Runs npusim on one arch config and workload; exits with npusim's error on failure, and if any
    array layer failed its bit-exact check (cycle model)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    cmd = [npusim, "run", "--arch", arch, "--workload", workload, "--seed", str(seed), "--json", out, *extra]
    if fast:
        cmd.append("--fast")
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        sys.exit(f"{who}: {' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
    with open(out) as f:
        rep = json.load(f)
    os.unlink(out)
    if not fast and not all(l["verified"] for l in rep["layers"] if l["unit"] == "array"):
        sys.exit(f"{who}: {arch} on {workload}: a layer failed verification")
    return rep


def find_npusim(build, who):
    npusim = os.path.join(build, "npusim")
    if not os.path.exists(npusim):
        sys.exit(f"{who}: {npusim} not found (build first: cmake --build {build} --target npusim)")
    return npusim
