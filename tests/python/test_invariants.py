"""Invariants of the default scenario that a planner relies on, checked on
its results file alone:
  - no structural shortage in 2024-2032 (at most 0.05 Mt in every year);
  - national daily output does not swing month to month: the mean
    absolute change of each replication stays at or below 2.5 %, and the
    mean over replications does not step at the turn of a year;
  - the anode balance closes from the file: production = consumption +
    exports + change in stocks + change in transit, every month;
  - production = captive + merchant, with captive at most production;
  - [economics] aluminium grows to the national cap of 45 Mt and never
    passes it; capacity that exits is recorded and leaves the capacity
    series; the margin is price less unit cost; the top-five share is a
    share.
   python3 test_invariants.py ANODESIM SOURCE_DIR WORKDIR"""
import os
import subprocess
import sys

import h5py
import numpy as np

anodesim, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
out = os.path.join(work, "invariants.h5")
scenario = os.path.join(src, "scenarios", "china-2024", "scenario.yaml")
subprocess.run([anodesim, "run", scenario, "-r", "40", "-t", "2", "-q", "--force", "-o", out], check=True,
               stdout=subprocess.DEVNULL)
failed = 0


def check(ok, what):
    global failed
    if not ok:
        failed += 1
        print("FAIL:", what)


with h5py.File(out, "r") as f:
    g = lambda n: f[n][:, 0].astype(np.float64)   # [replication, month, region] of point 0
    prod, cons, exp = g("production"), g("consumption"), g("exports")
    short = g("shortage")
    nyears = prod.shape[1] // 12
    for y in range(nyears):
        s = short[:, 12 * y:12 * y + 12].sum(axis=(1, 2)).mean() / 1e6
        check(s <= 0.05, f"shortage {s:.3f} Mt in {2024 + y} (at most 0.05)")
    t = f["time"][:]
    bounds = f["time_bounds"][:] if "time_bounds" in f else None
    days = np.diff(np.append(t, t[-1] + 31))
    daily = prod.sum(axis=2) / days
    swing = np.abs(np.diff(daily, axis=1)) / daily[:, :-1]
    worst = swing.mean(axis=1).max()
    check(worst <= 0.025, f"national daily output swings {100 * worst:.2f} % month to month in a replication (at most 2.5)")
    # No step at the turn of the year: growth stepped by calendar year made
    # the mean output rise over December-February by 0.8 % on average (1.7 %
    # in 2025) against 0.1-0.2 % for any two months; smooth growth gives
    # about 0.1 %, the rest being noise of 0.4 % either way.
    mean_daily = daily.mean(axis=0)
    step = np.diff(mean_daily) / mean_daily[:-1]
    turn = (step[11:-1:12] + step[12::12]).mean()
    usual = (step[:-1] + step[1:]).mean()
    check(turn - usual <= 0.004,
          f"mean output rises {100 * turn:.2f} % over a new year, {100 * usual:.2f} % over any two months")
    # Balance from the file: float32 values, so to float precision.
    stock_end, stock_open = g("anode_stock").sum(axis=2), g("anode_stock_opening").sum(axis=2)
    tr_end, tr_open = g("anode_in_transit").sum(axis=2), g("anode_in_transit_opening").sum(axis=2)
    lhs = prod.sum(axis=2)
    rhs = cons.sum(axis=2) + exp.sum(axis=2) + (stock_end - stock_open) + (tr_end - tr_open)
    resid = np.abs(lhs - rhs).max() / lhs.max()
    check(resid < 1e-5, f"monthly anode balance from the file leaves {resid:.2e} of a month's output")
    # Opening levels are the previous month's closing ones.
    jump = np.abs(stock_open[:, 1:] + tr_open[:, 1:] - stock_end[:, :-1] - tr_end[:, :-1]).max() / lhs.max()
    check(jump < 1e-5, f"opening stock differs from the previous close by {jump:.2e} of a month's output")
    cap = g("production_captive")
    check(np.all(cap <= prod * (1 + 1e-6) + 1e-3), "captive output above production")
    fill = g("fill_rate")
    check(np.all((fill >= 0) & (fill <= 1)), "fill rate outside [0, 1]")
    check(np.all(g("order_lead_time") >= 0), "negative order lead time")
    # The mean is at most 0.95 p95 + 0.05 of the longest lead time: with
    # none over 200 days (the histogram's range), mean <= p95 + 10 d.  (A
    # mean above the p95 itself is no error: a few long waits in a month
    # of one-day deliveries.)
    p95, mean_lt = g("order_lead_time_p95"), g("order_lead_time")
    check(np.all(mean_lt <= 0.95 * p95 + 0.05 * 200 + 1e-3), "mean lead time above what its p95 allows")

    al = g("aluminium").sum(axis=2)
    al = al.reshape(al.shape[0], -1, 12).sum(axis=2)   # [replication, year]
    check(np.all(al <= 45e6 * (1 + 1e-6)), f"aluminium above the 45 Mt cap: {al.max() / 1e6:.3f} Mt")
    check(abs(al[:, 0].mean() / 44.0e6 - 1) < 0.002, f"2024 aluminium {al[:, 0].mean() / 1e6:.2f} Mt (44.0 in the table)")
    check(np.all(al[:, -1] >= 45e6 * 0.999), "aluminium does not grow to the cap by 2032")
    # Capacity: the table's 30.366 Mt, less what exits retired, plus what
    # expansions and announced projects added (checked year by year as
    # December's capacity in t a year).
    cap_dec = g("capacity").sum(axis=2)[:, -1] / 31.0 * 365   # December 2032, t a year
    retired = f["plant_exit"][:, 0].sum(axis=2)
    check(np.all(retired >= 0) and retired[:, 1:].sum() > 0, "no exit recorded in 2025-2032")
    added = f["plant_added"][:, 0].sum(axis=2)
    check(np.all(added >= 0), "negative capacity added")
    announced = 0.92e6   # Sunstone's two projects of 2026 (plants.csv)
    want_cap = 30.366e6 + announced + added.sum(axis=1) - retired.sum(axis=1)
    # (what retires in December itself leaves January's capacity)
    gap = np.abs(cap_dec - want_cap) / want_cap
    check(gap.max() < 0.01, f"December 2032 capacity differs by {100 * gap.max():.2f} % from the table less exits plus additions")
    # Margin = anode price received less unit cost, per tonne produced.
    m, rev, cost, pr = g("margin"), g("revenue"), g("production_cost"), g("production")
    want = np.where(pr > 0, (rev - cost) / np.where(pr > 0, pr, 1), 0)
    check(np.allclose(m, want, rtol=1e-4, atol=0.5), "margin is not (revenue - cost) / production")
    # Owners and plants add up to the national output, year by year.
    own = f["owner_production"][:, 0].astype(np.float64).sum(axis=2)
    pl = f["plant_production"][:, 0].astype(np.float64).sum(axis=2)
    nat = prod.sum(axis=2).reshape(prod.shape[0], -1, 12).sum(axis=2)
    check(np.allclose(own, pl, rtol=1e-5) and np.allclose(pl, nat, rtol=1e-5),
          "owner, plant and regional production disagree")
    t5 = f["top5_share"][:, 0]
    check(np.all((t5 > 0) & (t5 <= 1)), "top-five share outside (0, 1]")

print("invariants:", "ok" if failed == 0 else f"{failed} failed")
sys.exit(1 if failed else 0)
