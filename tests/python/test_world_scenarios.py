#!/usr/bin/env python3
"""The named world scenarios move the results the way the events say, and
change nothing before their date.  Each runs with the seed of world-2024
(so both draw the same numbers until the event) and is compared with it:

  world-gulf-disruption   Qatalum shut then at 60 %, Alba at 81 %, the Strait slow
  world-mozal-care        Mozal and its carbon plant stopped from 2026-03-15
  world-no-sunstone-ega   the Sunstone-EGA plant never opens
  world-inert-20pct       about a fifth of carbon-anode demand displaced by 2032
  world-cbam              a US duty on Chinese anodes; CBAM on Europe

Usage: test_world_scenarios.py ANODESIM ROOT [SCENARIO...] (default: all)"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

bin_, root = sys.argv[1], sys.argv[2]
failed = 0
REPS = "6"


def check(ok, what):
    global failed
    print(("ok: " if ok else "FAIL: ") + what)
    failed += not ok


class Run:
    """One results file: per-replication arrays (realization, time, region)."""

    def __init__(self, path):
        self.f = h5py.File(path, "r")
        dec = lambda v: np.array([x.decode() if isinstance(x, bytes) else x for x in v])
        self.region = list(dec(self.f["region_name"][:]))
        self.kind = dec(self.f["region_kind"][:])
        self.plant = list(dec(self.f["plant_id"][:]))
        start = np.datetime64("2024-01-01") + self.f["time"][:].astype("timedelta64[D]")
        self.month = start.astype("datetime64[M]").astype(str)          # "YYYY-MM"
        self.year = start.astype("datetime64[Y]").astype(int) + 1970
        self.years = list(self.f["year"][:])
        self.cache = {}

    def var(self, n):
        """A variable of point 0, (realization, time or year, region or plant), read once."""
        if n not in self.cache:
            v = self.f[n][:].astype(float)
            self.cache[n] = v.reshape(v.shape[0], -1, v.shape[-2], v.shape[-1])[:, 0]
        return self.cache[n]

    def reg(self, n, name):
        """Mean over replications of a region's monthly series."""
        return self.var(n)[:, :, self.region.index(name)].mean(axis=0)

    def months(self, first, last):
        return (self.month >= first) & (self.month <= last)

    def china_exports(self, year):
        v = self.var("shipped_abroad")[:, self.year == year][:, :, self.kind == "province"]
        return v.sum(axis=(1, 2)).mean()

    def flow(self, year, origins, dest):
        """Mean flow in a year from a set of origin regions to one destination."""
        if "flow" not in self.cache:   # (year, origin, destination), mean over replications
            self.cache["flow"] = self.f["flow"][:].astype(float)[:, 0].mean(axis=0)
        fl = self.cache["flow"][self.years.index(year)]
        return sum(fl[o, self.region.index(dest)] for o in origins)

    def plant_prod(self, pid, year):
        return self.var("plant_production")[:, self.years.index(year), self.plant.index(pid)].mean()


def identical_before(a, b, month, what):
    """Every region series of a and b equal in the months before `month`."""
    keep = a.month < month
    same = all(np.array_equal(a.var(n)[:, keep], b.var(n)[:, keep])
               for n in ("production", "consumption", "shipments_out", "imports", "anode_stock", "aluminium"))
    check(same, f"{what}: bit-identical to world-2024 before {month}")


def gulf(base, g):
    identical_before(base, g, "2026-03", "gulf disruption")
    q_off = g.reg("aluminium", "Qatar")[g.months("2026-04", "2026-11")]
    check(np.all(q_off == 0), "Qatalum makes no aluminium from April to November 2026")
    m = g.months("2027-01", "2027-12")
    r = g.reg("aluminium", "Qatar")[m].sum() / base.reg("aluminium", "Qatar")[m].sum()
    check(abs(r - 0.6) < 0.005, f"Qatalum at 60 % in 2027 ({r:.3f})")
    m = g.months("2026-04", "2026-12")
    r = g.reg("aluminium", "Bahrain")[m].sum() / base.reg("aluminium", "Bahrain")[m].sum()
    check(abs(r - 0.81) < 0.005, f"Alba at 81 % from April 2026 ({r:.3f})")
    m = g.months("2027-01", "2027-12")
    check(np.allclose(g.reg("aluminium", "Bahrain")[m], base.reg("aluminium", "Bahrain")[m]),
          "Alba's lines back in 2027")
    r = g.plant_prod("qatalum_carbon", 2026) / base.plant_prod("qatalum_carbon", 2026)
    check(r < 0.35, f"Qatalum's carbon plant made {r:.2f} of its 2026 output")
    china = np.flatnonzero(g.kind == "province")
    gcc = ("Qatar", "Bahrain", "United Arab Emirates", "Saudi Arabia")
    a, b = (sum(x.flow(2026, china, d) for d in gcc) for x in (g, base))
    check(a < b - 20e3, f"China's 2026 exports to the inner Gulf fall: {a / 1e3:.0f} kt against {b / 1e3:.0f}")
    m = g.months("2026-04", "2026-09")
    a, b = (x.reg("anode_in_transit", "United Arab Emirates")[m].mean() for x in (g, base))
    check(a > b * 1.2, f"more anodes at sea to the UAE while the Strait is slow: {a / 1e3:.1f} kt against {b / 1e3:.1f}")
    a, b = g.china_exports(2030), base.china_exports(2030)
    check(abs(a / b - 1) < 0.03, f"China's exports recover by 2030: {a / 1e6:.3f} Mt against {b / 1e6:.3f}")
    sh = g.var("shortage").sum(axis=(1, 2)).mean()
    check(sh < 1e-3 * g.var("demand").sum(axis=(1, 2)).mean(), f"no shortage ({sh / 1e3:.1f} kt)")


def mozal(base, z):
    identical_before(base, z, "2026-03", "Mozal")
    m = z.months("2026-04", "2032-12")
    check(np.all(z.reg("aluminium", "Mozambique")[m] == 0) and np.all(z.reg("demand", "Mozambique")[m] == 0),
          "Mozal makes no aluminium and asks for no anodes from April 2026")
    check(all(z.plant_prod("mozal_carbon", y) == 0 for y in range(2027, 2033)), "Mozal's carbon plant makes nothing")
    check(np.allclose(z.reg("aluminium", "South Africa"), base.reg("aluminium", "South Africa")),
          "Hillside's aluminium is unchanged")


def no_ega(base, n):
    identical_before(base, n, "2028-01", "no Sunstone-EGA")
    check(all(n.plant_prod("sunstone_ega", y) == 0 for y in range(2028, 2033)), "the plant never makes an anode")
    check(base.plant_prod("sunstone_ega", 2030) > 150e3, "with it, it makes over 150 kt in 2030")
    for y in (2029, 2031):
        d = n.china_exports(y) - base.china_exports(y)
        check(100e3 < d < 320e3, f"without it China exports {d / 1e3:.0f} kt more in {y} (the plant makes 300 kt at most)")
        china = np.flatnonzero(n.kind == "province")
        d = n.flow(y, china, "United Arab Emirates") - base.flow(y, china, "United Arab Emirates")
        check(d > 50e3, f"... {d / 1e3:.0f} kt of it to the UAE")


def inert(base, i):
    y = i.year == 2032
    disp = i.var("displaced_demand")[:, y].sum(axis=(1, 2)).mean()
    dem = i.var("demand")[:, y].sum(axis=(1, 2)).mean()
    check(0.12 < disp / (disp + dem) < 0.28, f"2032: {disp / (disp + dem):.3f} of carbon-anode demand displaced "
                                            "(the report: up to 20 %)")
    share = i.var("inert_share")
    check(np.all(np.diff(share, axis=1) >= -1e-7), "each region's inert share never falls")
    prebake = base.var("demand")[:, y].sum(axis=(0, 1)) > 0
    by_region = i.var("displaced_demand")[:, y].sum(axis=1).mean(axis=0)
    check(np.all(by_region[prebake] > 0), "displacement in every region that uses prebaked anodes")
    a, b = i.china_exports(2032), base.china_exports(2032)
    check(a < 0.85 * b, f"China's 2032 exports fall: {a / 1e6:.2f} Mt against {b / 1e6:.2f}")


def cbam(base, c):
    identical_before(base, c, "2026-01", "CBAM and the US duty")
    china = np.flatnonzero(c.kind == "province")
    a, b = c.flow(2027, china, "United States"), base.flow(2027, china, "United States")
    check(b > 5e3 and a < 0.2 * b, f"China's 2027 anodes to the US: {a / 1e3:.1f} kt against {b / 1e3:.1f} kt")
    sh = c.var("shortage").sum(axis=(1, 2)).mean()
    check(sh < 1e-3 * c.var("demand").sum(axis=(1, 2)).mean(), f"no shortage ({sh / 1e3:.1f} kt)")


cases = [("world-gulf-disruption", gulf), ("world-mozal-care", mozal), ("world-no-sunstone-ega", no_ega),
         ("world-inert-20pct", inert), ("world-cbam", cbam)]
with tempfile.TemporaryDirectory() as tmp:
    def run(yaml, name):
        out = os.path.join(tmp, name + ".h5")
        subprocess.run([bin_, "run", yaml, "-r", REPS, "-t", "2", "-q", "-o", out], check=True,
                       stdout=subprocess.DEVNULL)
        return Run(out)

    base = run(os.path.join(root, "scenarios", "world-2024", "scenario.yaml"), "base")
    only = sys.argv[3:]
    for name, test in cases:
        if not only or name in only:
            print(f"-- {name}")
            test(base, run(os.path.join(root, "scenarios", name + ".yaml"), name))
sys.exit(1 if failed else 0)
