"""A 2 x 2 grid sweep with 3 replications per point gives 12 replications
with the right parameters.   python3 test_sweep.py SWEEP.h5"""
import sys

import numpy as np
import xarray as xr

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
check(ds.sizes["point"] == 4 and ds.sizes["realization"] == 3, f"sizes {dict(ds.sizes)}")
check(int(ds["realization_done"].sum()) == 12, "12 replications done")
check(ds.attrs["design"] == "grid", "design attribute")
ds = ds.assign_coords(parameter=ds["parameter_name"].values)
d = ds["design"].to_pandas()
check(list(d.columns) == ["smelter.anode_per_t_al", "prices.volatility_scale"], f"parameters {list(d.columns)}")
check(np.allclose(d.values, [[0.45, 0], [0.45, 1], [0.5, 0], [0.5, 1]]), f"grid values {d.values.tolist()}")
# The anode use per tonne of aluminium reaches the smelters of each point:
# demand (use + shortage + displaced) scales exactly with it, to the
# float32 rounding of each stored month (summed in float64).
f8 = lambda v: ds[v].astype("float64")
dem = (f8("consumption") + f8("shortage") + f8("displaced_demand")).sum(["time", "region"])
ratio = (dem.sel(point=2) / dem.sel(point=0)).values
check(np.allclose(ratio, 0.5 / 0.45, rtol=1e-7), f"demand ratio {ratio}")
# The run (2024) lies inside the recorded price history: with volatility
# 0 or 1 every replication follows the record, the same path.
p = ds["coke_price"].astype("float64")
spread = p.max("realization") - p.min("realization")
check(float(spread.max()) == 0.0, "inside the history, one price path for all replications")
check(float(np.abs(p.sel(point=1) - p.sel(point=0)).max()) == 0.0, "inside the history, volatility changes nothing")
check(float(p.sel(point=1).std()) > 1.0, "volatility, moving price")
# Common random numbers: replication r of points 0 and 2 saw the same streams.
check(bool((ds["replication_seed"].sel(point=0) == ds["replication_seed"].sel(point=2)).all()), "common seeds")
# Swept parameters are coordinates on point: select points by value.
vol = ds["prices_volatility_scale"]
check(list(vol.values) == [0, 1, 0, 1] and "prices_volatility_scale" in ds.coords, "parameters as point coordinates")
one = ds.where(vol == 1, drop=True)
check(list(one["point"].values) == [1, 3], "points selected by a parameter's value")
sel = ds.set_xindex("prices_volatility_scale").sel(prices_volatility_scale=1)
check(list(sel["point"].values) == [1, 3], "sel by a parameter's value")
sm = xr.open_dataset(sys.argv[1], engine="h5netcdf", group="summary")
check("design" in sm and "smelter_anode_per_t_al" in sm.coords, "the design in the summary group")
check(sm["production_mean"].sizes["point"] == 4 and not bool(np.isnan(sm["production_mean"]).any()),
      "summaries for every point")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
