#!/usr/bin/python3
"""Scatter plot of a sweep's points with the Pareto front highlighted, one panel per workload (issue 14).

Usage: scripts/sweep_plot.py POINTS.csv --out OUT.png   (POINTS.csv from `npusim sweep report DB --csv POINTS.csv`;
       --build DIR is accepted and ignored, as by the other scripts)
Python: Debian's /usr/bin/python3 with python3-matplotlib (scripts/setup installs it).
"""
import argparse
import csv
import sys


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("points")
    ap.add_argument("--out", required=True)
    ap.add_argument("--build", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    argv = [args.points, args.out]
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    with open(argv[0]) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"sweep_plot: {argv[0]}: no points")
    x, y = list(rows[0].keys())[4:6]
    workloads = sorted({r["workload"] for r in rows})
    fig, axes = plt.subplots(1, len(workloads), figsize=(5.5 * len(workloads), 4.2), squeeze=False)
    for ax, wl in zip(axes[0], workloads):
        pts = [r for r in rows if r["workload"] == wl]
        ax.scatter([float(r[x]) for r in pts], [float(r[y]) for r in pts], s=14, c="0.6", label="points")
        front = sorted((r for r in pts if r["on_front"] == "1"), key=lambda r: float(r[x]))
        ax.plot([float(r[x]) for r in front], [float(r[y]) for r in front], "o-", c="C3", label="Pareto front")
        ax.set_title(wl)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    plt.tight_layout()
    plt.savefig(argv[1], dpi=120)
    print("plot:", argv[1])


if __name__ == "__main__":
    main(sys.argv[1:])
