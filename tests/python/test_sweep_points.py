"""Each point of a sweep equals a single run with that point's values
(--set), bit for bit, although one model instance serves every point in
turn (common random numbers: point p of a sweep and a single run share
streams).   python3 test_sweep_points.py ANODESIM SOURCE_DIR WORKDIR"""
import os
import subprocess
import sys

import h5py
import numpy as np

anodesim, src, work = sys.argv[1:4]
sweep = os.path.join(src, "tests", "data", "sweep-leads.yaml")
short = os.path.join(src, "tests", "data", "short.yaml")
os.makedirs(work, exist_ok=True)
failed = 0


def run(args):
    subprocess.run([anodesim] + args + ["-q"], check=True, stdout=subprocess.DEVNULL)


swp = os.path.join(work, "leads.h5")
run(["sweep", sweep, "-t", "1", "--force", "-o", swp])
with h5py.File(swp, "r") as f:
    keys = [k.decode() if isinstance(k, bytes) else k for k in f["parameter_name"][:]]
    design = f["design"][:]
    for p in range(design.shape[0]):
        one = os.path.join(work, f"leads-point{p}.h5")
        sets = []
        for k, v in zip(keys, design[p]):
            sets += ["--set", f"{k}={v:.17g}"]
        run(["run", short, "-r", "2", "-t", "1", "--force", "-o", one] + sets)
        with h5py.File(one, "r") as g:
            for var in ("production", "flow", "shipments_in", "events"):
                a, b = f[var][:, p], g[var][:, 0]   # (realization, point, ...)
                if not np.array_equal(a, b, equal_nan=True):
                    failed += 1
                    print(f"FAIL: point {p} ({dict(zip(keys, design[p]))}): {var} differs from a single run")
print("sweep points equal single runs" if failed == 0 else f"{failed} failures")
sys.exit(1 if failed else 0)
