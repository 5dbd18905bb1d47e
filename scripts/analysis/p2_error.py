"""How far P-square quantile estimates (what a --summary-only run too large to
keep its values in memory gets) lie from the exact quantiles a full run
stores, in standard deviations of each value, over every summarised monthly
value of the default scenario.  usage: p2_error.py ANODESIM [R ...]"""
import os
import subprocess
import sys

import h5py
import numpy as np

binary = sys.argv[1]
scenario = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "china-2024", "scenario.yaml")
for R in [int(r) for r in sys.argv[2:]] or [20, 200, 1000]:
    run = [binary, "run", scenario, "-r", str(R), "-t", "2", "-q", "--force", "-o"]
    subprocess.run(run + ["/tmp/p2err-exact.h5"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(run + ["/tmp/p2err-p2.h5", "--summary-only"], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, ANODESIM_QUANTILE_MB="0"))   # (no memory for exact ones: P-square)
    with h5py.File("/tmp/p2err-exact.h5", "r") as fe, h5py.File("/tmp/p2err-p2.h5", "r") as fp:
        ex, p2 = fe["summary"], fp["summary"]
        errs = [[] for _ in range(5)]
        for v in ex:
            if v.endswith("_quantile"):
                sd = ex[v[:-len("_quantile")] + "_std"][...]
                a, c, m = ex[v][...], p2[v][...], sd > 0
                for q in range(5):
                    errs[q].append((np.abs(a[:, q] - c[:, q])[m] / sd[m]).ravel())
    print(f"{R} replications:", "; ".join(
        f"p{p}: median {np.median(e):.3f}, 99th pct {np.quantile(e, .99):.2f}, max {e.max():.2f} sd"
        for p, e in zip((5, 25, 50, 75, 95), (np.concatenate(x) for x in errs))))
