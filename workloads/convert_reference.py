#!/usr/bin/env python3
"""Convert the reference layer tables into npusim workload CSVs (DESIGN.md §4).

The reference tables (shared/reference/workloads/*.csv) have the columns
    name,op,H,W,C,K,R,S,stride_h,stride_w,pad_h,pad_w,groups,out_h,out_w
where pad_h/pad_w are the top/left padding. The bottom/right padding is not given; it follows from
out_h/out_w: we keep the symmetric value if it yields the table's output size, else try top+1
(TensorFlow 'SAME' with an odd total padding puts the extra row at the bottom), else top-1.
out_h/out_w stay in the output as a check (the loader recomputes and compares them).

The ResNet tables list only the conv/fc layers; for resnet18 and resnet50 we insert the layers they
omit so the networks are complete: the 3x3/2 max pool after conv1, the residual add at the end of each
block, and the global average pool before fc.

Usage: python3 workloads/convert_reference.py [--ref DIR] [--out DIR]
(stdlib only; defaults: DIR = <repo>/../shared/reference/workloads, out = <repo>/workloads).
"""
import argparse
import csv
import os
import sys

NETWORKS = [
    "resnet18", "resnet50", "mobilenet_v1", "mobilenet_v2", "vgg16", "alexnet",
    "tinymlperf_kws_ds_cnn", "tinymlperf_vww_mobilenet_v1_025", "tinymlperf_ic_resnet8",
    "tinymlperf_ad_fc_autoencoder",
]
COMPLETE_RESNETS = {"resnet18", "resnet50"}

COLUMNS = ["name", "op", "H", "W", "C", "K", "R", "S", "stride_h", "stride_w",
           "pad_top", "pad_bottom", "pad_left", "pad_right", "groups", "dilation", "out_h", "out_w"]


def out_size(inp, pad_a, pad_b, k, stride, dilation=1):
    return (inp + pad_a + pad_b - dilation * (k - 1) - 1) // stride + 1


def far_pad(inp, k, stride, pad_a, out, where):
    """Bottom/right padding that reproduces `out`, preferring symmetric padding."""
    for pad_b in (pad_a, pad_a + 1, pad_a - 1):
        if 0 <= pad_b < k and out_size(inp, pad_a, pad_b, k, stride) == out:
            return pad_b
    sys.exit(f"{where}: no bottom/right padding in {pad_a - 1}..{pad_a + 1} gives output size {out}")


def convert_row(r, where):
    i = {k: int(v) for k, v in r.items() if k not in ("name", "op")}
    pad_bottom = far_pad(i["H"], i["R"], i["stride_h"], i["pad_h"], i["out_h"], where + " (height)")
    pad_right = far_pad(i["W"], i["S"], i["stride_w"], i["pad_w"], i["out_w"], where + " (width)")
    return {
        "name": r["name"], "op": r["op"], "H": i["H"], "W": i["W"], "C": i["C"], "K": i["K"],
        "R": i["R"], "S": i["S"], "stride_h": i["stride_h"], "stride_w": i["stride_w"],
        "pad_top": i["pad_h"], "pad_bottom": pad_bottom, "pad_left": i["pad_w"], "pad_right": pad_right,
        "groups": i["groups"], "dilation": 1, "out_h": i["out_h"], "out_w": i["out_w"],
    }


def pool_row(name, op, h, w, c, k, stride, pad):
    oh = out_size(h, pad, pad, k, stride)
    ow = out_size(w, pad, pad, k, stride)
    return {"name": name, "op": op, "H": h, "W": w, "C": c, "K": c, "R": k, "S": k,
            "stride_h": stride, "stride_w": stride, "pad_top": pad, "pad_bottom": pad, "pad_left": pad,
            "pad_right": pad, "groups": 1, "dilation": 1, "out_h": oh, "out_w": ow}


def add_row(name, h, w, c):
    return {"name": name, "op": "add", "H": h, "W": w, "C": c, "K": c, "R": 1, "S": 1,
            "stride_h": 1, "stride_w": 1, "pad_top": 0, "pad_bottom": 0, "pad_left": 0, "pad_right": 0,
            "groups": 1, "dilation": 1, "out_h": h, "out_w": w}


def complete_resnet(rows):
    """Insert maxpool after conv1, an add after each residual block, avgpool before fc."""
    out = []
    for idx, row in enumerate(rows):
        name = row["name"]
        if name == "fc":
            prev = out[-1]
            out.append(pool_row("avgpool", "avgpool", prev["out_h"], prev["out_w"], prev["K"],
                                prev["out_h"], 1, 0))
        out.append(row)
        if name == "conv1":
            out.append(pool_row("maxpool", "maxpool", row["out_h"], row["out_w"], row["K"], 3, 2, 1))
            continue
        block = name.rsplit(".", 1)[0] if name.startswith("layer") else None
        next_block = None
        if idx + 1 < len(rows) and rows[idx + 1]["name"].startswith("layer"):
            next_block = rows[idx + 1]["name"].rsplit(".", 1)[0]
        if block is not None and block != next_block:
            # Block output: the last convN of the main path (downsample rows are the shortcut).
            main = [r for r in out if r["name"].startswith(block + ".conv")][-1]
            out.append(add_row(block + ".add", main["out_h"], main["out_w"], main["K"]))
    return out


def macs(r):
    if r["op"] in ("conv", "dwconv"):
        return r["out_h"] * r["out_w"] * r["K"] * r["R"] * r["S"] * (r["C"] // r["groups"])
    if r["op"] == "fc":
        return r["C"] * r["K"]
    return 0


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", default=os.path.join(repo, "..", "shared", "reference", "workloads"))
    ap.add_argument("--out", default=os.path.join(repo, "workloads"))
    args = ap.parse_args()

    for net in NETWORKS:
        src = os.path.join(args.ref, net + ".csv")
        with open(src, newline="") as f:
            table = list(csv.DictReader(f))
        rows = [convert_row(r, f"{net}.csv:{n + 2}") for n, r in enumerate(table)]
        header = [f"# source: shared/reference/workloads/{net}.csv (converted by workloads/convert_reference.py)",
                  "# pad_top/pad_left from the table's pad_h/pad_w; pad_bottom/pad_right derived from out_h/out_w"]
        if net in COMPLETE_RESNETS:
            rows = complete_resnet(rows)
            header.append("# added (omitted by the source table): maxpool after conv1, the residual add of "
                          "each block, avgpool before fc")
        dst = os.path.join(args.out, net + ".csv")
        with open(dst, "w", newline="") as f:
            for line in header:
                f.write(line + "\n")
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        total = sum(macs(r) for r in rows)
        print(f"{net:34s} {len(rows):3d} layers  {total / 1e6:10.3f} M MACs")


if __name__ == "__main__":
    main()
