#!/usr/bin/env python3
"""Runs a shipped model through `npusim run` on the reference inputs of a real TFLite interpreter
(tests/data/tflite_ref/<model>.ref.json, made by scripts/tflite-reference) and compares every layer's
output tensor (sha256 of the raw elements) and the final output with the interpreter's.

usage: tflite_reference.py NPUSIM ARCH MODEL.tflite REF.json [--expect all|none] [-- extra npusim args]
  --expect all   every tensor must be equal (exit 1 otherwise)
  --expect none  only report (exit 0), e.g. to list what the default (reference-kernel) semantics change
Prints one line per run: tensors equal / compared, and the differing layers.
"""
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile


def npy_data(path):
    with open(path, "rb") as f:
        b = f.read()
    if b[:6] != b"\x93NUMPY":
        raise SystemExit(f"{path}: not a .npy file")
    hlen = int.from_bytes(b[8:10], "little") if b[6] == 1 else int.from_bytes(b[8:12], "little")
    start = 10 + hlen if b[6] == 1 else 12 + hlen
    header = b[start - hlen:start].decode("latin1")
    return b[start:], header


def file_name(layer):
    return re.sub(r"[^A-Za-z0-9._-]", "_", layer) + ".npy"


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        i = args.index("--")
        args, extra = args[:i], args[i + 1:]
    expect = "all"
    if "--expect" in args:
        i = args.index("--expect")
        expect = args[i + 1]
        del args[i:i + 2]
    npusim, arch, model, ref_path = args
    ref = json.load(open(ref_path))
    ref_dir = os.path.dirname(ref_path)
    failures = 0
    for run in ref["runs"]:
        inputs = [run["input"]] if isinstance(run["input"], str) else run["input"]
        inp = inputs[0]
        by_op = {t["operator"]: t for t in run["tensors"]}
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [npusim, "run", "--arch", arch, "--workload", model]
            for f in inputs:
                cmd += ["--input", os.path.join(ref_dir, f)]
            cmd += ["--dump-tensors", os.path.join(tmp, "t"), "--json", os.path.join(tmp, "r.json"),
                   "--output", os.path.join(tmp, "out.npy")] + extra
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{inp}: npusim failed ({p.returncode}): {p.stderr.strip()}")
                return 1
            rep = json.load(open(os.path.join(tmp, "r.json")))
            if rep["total"]["layers_failed"]:
                print(f"{inp}: {rep['total']['layers_failed']} layers FAILED verification against golden")
                failures += 1
            equal, differ = 0, []
            for layer in rep["layers"]:
                t = by_op.get(layer.get("model_operator"))
                if t is None:
                    continue
                data, _ = npy_data(os.path.join(tmp, "t", file_name(layer["name"])))
                if hashlib.sha256(data).hexdigest() == t["sha256"]:
                    equal += 1
                else:
                    differ.append(f"{layer['model_operator']}:{t['op']}")
            out, _ = npy_data(os.path.join(tmp, "out.npy"))
            final = run["final_outputs"][0]
            dtype = final.get("dtype", "int8")
            if dtype == "int8":
                want = bytes((v & 0xFF) for v in final["values"])
            elif dtype == "float32":
                want = struct.pack("<%df" % len(final["values"]), *final["values"])
            else:
                raise SystemExit(f"{ref_path}: final output dtype {dtype} not compared")
            final_equal = out == want
            print(f"{os.path.basename(model)} {inp}: {equal}/{len(by_op)} tensors equal to the interpreter's, "
                  f"final output {'equal' if final_equal else 'DIFFERENT'}"
                  + (f"; differ: {', '.join(differ)}" if differ else ""))
            if differ or not final_equal or equal != len(by_op):
                failures += expect == "all"
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
