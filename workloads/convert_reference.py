#!/usr/bin/env python3
"""Convert the reference layer tables into npusim workload CSVs (DESIGN.md §4).

The reference tables (shared/reference/workloads/*.csv) have the columns
    name,op,H,W,C,K,R,S,stride_h,stride_w,pad_h,pad_w,groups,out_h,out_w
where pad_h/pad_w are the top/left padding. The bottom/right padding is not given; it follows from
out_h/out_w: we keep the symmetric value if it yields the table's output size, else try top+1
(TensorFlow 'SAME' with an odd total padding puts the extra row at the bottom), else top-1.
out_h/out_w stay in the output as a check (the loader recomputes and compares them).

The tables list only the conv/fc layers and no graph. We insert the layers they omit, so that every
layer reads exactly what its producer writes (the loader checks it), and write the graph into the
`inputs` column (producers separated by '|', empty = the previous row):
  - resnet18/50: the 3x3/2 max pool after conv1, the residual add of each block (main path + shortcut),
    the global average pool before fc; a block's downsample reads the block input;
  - mobilenet_v2: the residual add of each stride-1 block whose input and output channels are equal,
    and the global average pool before fc;
  - alexnet: the 3x3/2 max pools after conv1, conv2, conv5; vgg16: the 2x2/2 max pools of each stage;
  - mobilenet_v1: the global average pool before the fc.
The geometry of the source rows is never changed.

Usage: python3 workloads/convert_reference.py [--ref DIR] [--out DIR]
(stdlib only; defaults: DIR = <repo>/../shared/reference/workloads, out = <repo>/workloads).
"""
import argparse
import csv
import os
import sys

NETWORKS = [
    "resnet18", "resnet50", "mobilenet_v1", "mobilenet_v2", "vgg16", "alexnet",
]
# The TinyMLPerf and TFLM networks come from their .tflite files instead (tests/data/models), written by
# the importer itself: npusim inspect MODEL.tflite --layer-table workloads/NAME.csv (scripts/model-tables).

COLUMNS = ["name", "op", "H", "W", "C", "K", "R", "S", "stride_h", "stride_w",
           "pad_top", "pad_bottom", "pad_left", "pad_right", "groups", "dilation", "out_h", "out_w", "inputs"]


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
        "groups": i["groups"], "dilation": 1, "out_h": i["out_h"], "out_w": i["out_w"], "inputs": "",
    }


def pool_row(name, op, prev, k=None, stride=1, pad=0):
    """A pool reading `prev`; k=None is a global pool (the kernel covers the whole input)."""
    h, w, c = prev["out_h"], prev["out_w"], prev["K"]
    kh, kw = (h, w) if k is None else (k, k)
    return {"name": name, "op": op, "H": h, "W": w, "C": c, "K": c, "R": kh, "S": kw,
            "stride_h": stride, "stride_w": stride, "pad_top": pad, "pad_bottom": pad, "pad_left": pad,
            "pad_right": pad, "groups": 1, "dilation": 1, "out_h": out_size(h, pad, pad, kh, stride),
            "out_w": out_size(w, pad, pad, kw, stride), "inputs": ""}


def add_row(name, a, b):
    """Residual add of rows a and b (same output shape)."""
    assert (a["out_h"], a["out_w"], a["K"]) == (b["out_h"], b["out_w"], b["K"]), (name, a["name"], b["name"])
    h, w, c = a["out_h"], a["out_w"], a["K"]
    return {"name": name, "op": "add", "H": h, "W": w, "C": c, "K": c, "R": 1, "S": 1,
            "stride_h": 1, "stride_w": 1, "pad_top": 0, "pad_bottom": 0, "pad_left": 0, "pad_right": 0,
            "groups": 1, "dilation": 1, "out_h": h, "out_w": w, "inputs": a["name"] + "|" + b["name"]}


def insert_pools(rows, pools):
    """pools: {after: (name, op, kernel or None for global, stride, pad)}, inserted after that row."""
    out = []
    for row in rows:
        out.append(row)
        if row["name"] in pools:
            name, op, k, stride, pad = pools[row["name"]]
            out.append(pool_row(name, op, row, k, stride, pad))
    assert len(out) == len(rows) + len(pools), "a pool's anchor row is missing"
    return out


def complete_resnet(rows):
    """Maxpool after conv1, the residual add after each block, avgpool before fc; the graph."""
    out = []
    block_input = None  # row whose output enters the current block
    for idx, row in enumerate(rows):
        name = row["name"]
        if name == "fc":
            out.append(pool_row("avgpool", "avgpool", out[-1]))
        if name.endswith(".downsample"):
            row["inputs"] = block_input["name"]
        out.append(row)
        if name == "conv1":
            out.append(pool_row("maxpool", "maxpool", row, 3, 2, 1))
            block_input = out[-1]
            continue
        block = name.rsplit(".", 1)[0] if name.startswith("layer") else None
        next_block = None
        if idx + 1 < len(rows) and rows[idx + 1]["name"].startswith("layer"):
            next_block = rows[idx + 1]["name"].rsplit(".", 1)[0]
        if block is not None and block != next_block:
            # main path = the last convN; shortcut = the downsample, or the block input itself
            main = [r for r in out if r["name"].startswith(block + ".conv")][-1]
            short = [r for r in out if r["name"] == block + ".downsample"] or [block_input]
            out.append(add_row(block + ".add", main, short[0]))
            block_input = out[-1]
    return out


def complete_ic_resnet8(rows):
    """TinyMLPerf ResNet-8: residual adds L03/L07/L11 (1x1 shortcut convs L06/L10 read the previous add),
    global average pool L12."""
    by = {r["name"]: r for r in rows}
    by["L06_conv"]["inputs"] = "L03_add"
    by["L10_conv"]["inputs"] = "L07_add"
    adds = {"L02_conv": ("L03_add", "L02_conv", "L00_conv"), "L06_conv": ("L07_add", "L05_conv", "L06_conv"),
            "L10_conv": ("L11_add", "L09_conv", "L10_conv")}
    out = []
    for row in rows:
        out.append(row)
        if row["name"] in adds:
            name, a, b = adds[row["name"]]
            out.append(add_row(name, by[a], by[b]))
            by[name] = out[-1]
    return insert_pools(out, {"L11_add": ("L12_avgpool", "avgpool", None, 1, 0)})


def complete_mobilenet_v2(rows):
    """Residual add of every stride-1 inverted residual block with equal input/output channels (the
    next block's expand reads it: it is the previous row), avgpool before fc."""
    by = {r["name"]: r for r in rows}
    out = []
    for row in rows:
        name = row["name"]
        if name.endswith("_expand"):
            block_input = out[-1]
        out.append(row)
        if name.endswith("_project") and name != "block0_project":
            block = name[: -len("_project")]
            if by[block + "_dw"]["stride_h"] == 1 and by[block + "_expand"]["C"] == row["K"]:
                out.append(add_row(block + "_add", row, block_input))
    return insert_pools(out, {"conv_last": ("avgpool", "avgpool", None, 1, 0)})


def global_avgpool(after, name):
    return lambda rows: insert_pools(rows, {after: (name, "avgpool", None, 1, 0)})


# Per network: the function that completes the table, and what its header says was added.
COMPLETIONS = {
    "resnet18": (complete_resnet, "maxpool after conv1, the residual add of each block, avgpool before fc"),
    "resnet50": (complete_resnet, "maxpool after conv1, the residual add of each block, avgpool before fc"),
    "tinymlperf_ic_resnet8": (complete_ic_resnet8, "the residual adds L03_add, L07_add, L11_add and the "
                              "global average pool L12_avgpool (L13, a reshape, is the fc's flattening)"),
    "mobilenet_v2": (complete_mobilenet_v2, "the residual add blockN_add of each stride-1 block with "
                     "equal in/out channels (blocks 2 4 5 7 8 9 11 12 14 15), avgpool before fc"),
    "alexnet": (lambda rows: insert_pools(rows, {c: (p, "maxpool", 3, 2, 0) for c, p in
                                                 (("conv1", "pool1"), ("conv2", "pool2"), ("conv5", "pool5"))}),
                "the 3x3/2 max pools pool1, pool2, pool5 (LRN is not modelled: it keeps the shape)"),
    "vgg16": (lambda rows: insert_pools(rows, {c: ("pool%d" % (i + 1), "maxpool", 2, 2, 0) for i, c in
                                               enumerate(("conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3"))}),
              "the 2x2/2 max pools pool1..pool5 at the end of each stage"),
    "mobilenet_v1": (global_avgpool("conv13_pw", "avgpool"), "the global average pool avgpool before fc"),
    "tinymlperf_vww_mobilenet_v1_025": (global_avgpool("L26_conv", "L27_avgpool"),
                                        "the global average pool L27_avgpool (L28, a reshape, is the fc's "
                                        "flattening)"),
    "tinymlperf_kws_ds_cnn": (global_avgpool("L08_conv", "L09_avgpool"),
                              "the 25x5 average pool L09_avgpool (L10, a reshape, is the fc's flattening)"),
}


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
                  "# pad_top/pad_left from the table's pad_h/pad_w; pad_bottom/pad_right derived from out_h/out_w",
                  "# inputs: the producing layers, separated by '|' (empty = the previous row)"]
        if net in COMPLETIONS:
            complete, added = COMPLETIONS[net]
            rows = complete(rows)
            header.append("# added (omitted by the source table): " + added)
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
