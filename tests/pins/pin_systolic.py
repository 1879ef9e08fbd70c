#!/usr/bin/env python3
"""Pinned cycles and traffic of the shipped systolic design points (issue 10, point 4).

  pin_systolic.py NPUSIM SOURCE_DIR record PINS.json [--mode fast|cycle|both] [--workloads a,b]
  pin_systolic.py NPUSIM SOURCE_DIR check  PINS.json [--mode fast|cycle|both] [--workloads a,b]
                                                    [--configs glob]

`record` runs every configs/arch/*.yaml whose family is systolic on the pinned workloads with the cycle
model and with --fast, and stores per array layer: cycles, stall, prologue cycles, folds, SRAM read/write
bytes per buffer, DRAM read/write bytes, executed MACs. `check` reruns (a subset of) them and fails on
the first difference, printing every differing figure. Only array layers are pinned: vector-unit layers
(pool, add) may be added to a table without changing the array's work.
"""
import argparse
import fnmatch
import json
import os
import sys

WORKLOADS = ["resnet18", "resnet50", "mobilenet_v1", "tflm_micro_speech_lstm"]
FIGURES = ["cycles", "stall_cycles", "prologue_cycles", "dram_read_bytes", "dram_write_bytes",
           "executed_macs"]


def configs(src):
    """The shipped configs of the systolic family (a `family: systolic` line)."""
    d = os.path.join(src, "configs", "arch")
    def systolic(f):
        with open(os.path.join(d, f)) as fh:
            return any(line.split("#")[0].strip() == "family: systolic" for line in fh)
    return sorted(f[:-5] for f in os.listdir(d) if f.endswith(".yaml") and systolic(f))


def layer_pins(layer):
    p = {k: layer.get(k) for k in FIGURES}
    # Fold count: a top-level figure before the family-generic report, now the family's.
    p["folds"] = layer["folds"] if "folds" in layer else layer.get("family", {}).get("folds")
    for side in ("sram_read_bytes", "sram_write_bytes"):
        for buf, v in sorted(layer.get(side, {}).items()):
            p[f"{side}.{buf}"] = v
    return p


def run(npusim, src, cfg, wl, mode):
    sys.path.insert(0, os.path.join(src, "scripts"))
    from npusim_run import run_report  # one way of running npusim for every script
    rep = run_report(npusim, os.path.join(src, "configs", "arch", cfg + ".yaml"),
                     os.path.join(src, "workloads", wl + ".csv"), fast=(mode == "fast"), seed=1, who="pin_systolic")
    return {l["name"]: layer_pins(l) for l in rep["layers"] if l["unit"] == "array"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("npusim")
    ap.add_argument("src")
    ap.add_argument("action", choices=["record", "check"])
    ap.add_argument("pins")
    ap.add_argument("--mode", default="both", choices=["fast", "cycle", "both"])
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--configs", default="*")
    a = ap.parse_args()
    modes = ["fast", "cycle"] if a.mode == "both" else [a.mode]
    wls = a.workloads.split(",")
    cfgs = [c for c in configs(a.src) if fnmatch.fnmatch(c, a.configs)]
    pins = {}
    if a.action == "check":
        with open(a.pins) as f:
            pins = json.load(f)
    bad = 0
    checked = 0
    for cfg in cfgs:
        for wl in wls:
            for mode in modes:
                key = f"{cfg}/{wl}/{mode}"
                got = run(a.npusim, a.src, cfg, wl, mode)
                if a.action == "record":
                    pins[key] = got
                    print(f"recorded {key}: {sum(l['cycles'] for l in got.values())} array cycles", flush=True)
                    continue
                if key not in pins:
                    sys.exit(f"{a.pins}: no pins for {key} (record them)")
                want = pins[key]
                diffs = []
                for name in sorted(set(want) | set(got)):
                    if name not in got or name not in want:
                        diffs.append(f"layer {name}: {'missing now' if name not in got else 'not pinned'}")
                        continue
                    for fig in sorted(set(want[name]) | set(got[name])):
                        if want[name].get(fig) != got[name].get(fig):
                            diffs.append(f"layer {name}: {fig} pinned {want[name].get(fig)}, now {got[name].get(fig)}")
                checked += 1
                if diffs:
                    bad += 1
                    print(f"CHANGED {key}:\n  " + "\n  ".join(diffs[:20]), flush=True)
                else:
                    print(f"same {key}: {len(got)} array layers, "
                          f"{sum(l['cycles'] for l in got.values())} cycles", flush=True)
    if a.action == "record":
        tmp = a.pins + ".tmp"
        with open(tmp, "w") as f:  # one line per pinned run: diffs stay readable
            keys = sorted(pins)
            f.write("{\n" + ",\n".join(json.dumps(k) + ":" + json.dumps(pins[k], sort_keys=True, separators=(",", ":"))
                                        for k in keys) + "\n}\n")
        os.replace(tmp, a.pins)
        return 0
    print(f"{checked - bad}/{checked} pinned runs unchanged")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
