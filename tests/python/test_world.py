#!/usr/bin/env python3
"""The world-2024 scenario: its tables are what build_world.py writes, and a
short run reproduces the 2024 facts it is calibrated to and the invariants
of the world: China's exports near 2.166 Mt (within 10 %), prebaked anode
use outside China 13-14 Mt, no Soderberg smelter drawing anodes, trade that
balances (what China ships abroad arrives as imports), no shortage while
capacity idles.  Usage: test_world.py ANODESIM ROOT"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

bin_, root = sys.argv[1], sys.argv[2]
failed = 0


def check(ok, what):
    global failed
    print(("ok: " if ok else "FAIL: ") + what)
    failed += not ok


world = os.path.join(root, "scenarios", "world-2024")
rc = subprocess.run([sys.executable, os.path.join(world, "build_world.py"), "--check"]).returncode
check(rc == 0, "world tables are those build_world.py writes")
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "w.h5")
    subprocess.run([bin_, "run", os.path.join(world, "scenario.yaml"), "-r", "4", "-t", "2", "-q", "-o", out],
                   check=True, stdout=subprocess.DEVNULL)
    f = h5py.File(out, "r")
    kind = np.array([x.decode() if isinstance(x, bytes) else x for x in f["region_kind"][:]])
    prov = kind == "province"

    def var(n):
        v = f[n][:]
        return v.reshape(v.shape[0], -1, v.shape[-2], v.shape[-1])[:, 0]   # realization, time, region

    y24 = slice(0, 12)
    exports = var("shipped_abroad")[:, y24][:, :, prov].sum(axis=(1, 2)).mean()
    check(abs(exports / 2.166e6 - 1) <= 0.10, f"China's 2024 exports {exports / 1e6:.3f} Mt within 10 % of 2.166")
    use = var("consumption")[:, y24][:, :, ~prov].sum(axis=(1, 2)).mean()
    check(13e6 <= use <= 14e6, f"prebaked anode use outside China {use / 1e6:.2f} Mt in 13-14")
    al = var("aluminium")[:, y24].sum(axis=(1, 2)).mean()
    check(abs(al / 72.758e6 - 1) < 0.02, f"world aluminium {al / 1e6:.2f} Mt near IAI's 72.758")
    sa, im = var("shipped_abroad").astype(float).sum(), var("imports").astype(float).sum()
    check(abs(sa - im) <= 1e-5 * max(im, 1), "what is shipped abroad arrives as imports (to the file's float32)")
    short = var("shortage").sum(axis=(1, 2)).mean()
    dem = var("demand").sum(axis=(1, 2)).mean()
    check(short <= 1e-3 * dem, f"shortage {short / 1e3:.1f} kt is under 0.1 % of demand")
    check(set(kind) == {"province", "world"}, "region kinds province and world")

    # Market value (scripts/analysis): its scopes nest and its regions add up.
    sys.path.insert(0, os.path.join(root, "scripts", "analysis"))
    import anodesim_results as ar
    mv = ar.market_value(ar.open_results(out))
    tot, mer, cb = (mv[s].values for s in ("all", "merchant", "cross_border"))
    check(np.allclose(mv["by_iai"].sum("iai_region").values, tot, rtol=1e-6), "market value by IAI region adds up")
    check(np.all((0 < cb) & (cb < mer) & (mer < tot)), "across borders < merchant plants < all anodes, every year")
    p24 = var("production")[:, y24].sum(axis=(1, 2)).mean()
    unit = tot[:, 0].mean() / p24
    check(450 < unit < 750, f"2024: USD {unit:.0f} a tonne of anode on average")
    subprocess.run([os.path.join(root, "scripts", "plot"), out, tmp], check=True, stdout=subprocess.DEVNULL)
    for png in ("market", "trade"):
        check(os.path.getsize(os.path.join(tmp, f"w-{png}.png")) > 10000, f"scripts/plot draws w-{png}.png")
sys.exit(1 if failed else 0)
