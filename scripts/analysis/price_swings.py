"""Swings of simulated prices against the recorded ones (coke between US$200 and 400
/t within 2023: max/min 2; pitch down a third within 2024; anode tender +23 % in one
month in early 2025).  usage: python3 price_swings.py RESULTS.h5"""
import os, sys, numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anodesim_results as ar
ds = ar.open_results(sys.argv[1])
p = ar.prices(ds).isel(point=0)
def yr_ratio(item):
    g = p.sel(price_item=item).groupby("time.year")
    return (g.max("time") / g.min("time")).values.ravel()
c = yr_ratio("coke")
print("coke: within-year max/min median %.2f p90 %.2f; share of years >= 2: %.3f" % (np.median(c), np.quantile(c, .9), (c >= 2).mean()))
pi = p.sel(price_item="pitch").values  # rep x time
# fall of a third within a year: min over later months / max over earlier months in the same calendar year
yrs = ds.time.dt.year.values
falls = []
for y in np.unique(yrs):
    idx = np.where(yrs == y)[0]
    seg = pi[:, idx]
    runmax = np.maximum.accumulate(seg, axis=1)
    falls.append((seg / runmax).min(axis=1))
falls = np.concatenate(falls)
print("pitch: share of years with a fall of a third or more: %.3f" % (falls <= 2/3).mean())
a = p.sel(price_item="anode").values
jump = a[:, 1:] / a[:, :-1] - 1
print("anode: largest one-month rise median over replications %.3f; share of replications with a +23%% month: %.3f" % (np.median(jump.max(axis=1)), (jump.max(axis=1) >= 0.23).mean()))
