"""Results files from Python: the synthetic file test_h5out wrote (values
equal to what C wrote, exactly), and a real run (dimensions, coordinates,
attributes as documented in docs/results-format.md).

    python3 test_results.py SYNTHETIC.h5 RUN.h5
"""
import json
import os
import sys

import numpy as np
import xarray as xr

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "analysis"))
import anodesim_results as ar  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


METRICS = ["capacity", "production", "consumption", "shortage", "lost_aluminium", "exports",
           "shipments_out", "shipments_in", "anode_stock", "production_cost", "coke_use",
           "pitch_use", "butts_use", "revenue", "displaced_demand"]


def synthetic(path):
    ds = ar.open_results(path)
    R, T, G = ds.sizes["realization"], ds.sizes["time"], ds.sizes["region"]
    check((R, T) == (5, 12), f"sizes {R} {T}")
    r = np.arange(R)[:, None, None]
    k = np.arange(T)[None, :, None]
    g = np.arange(G)[None, None, :]
    for m, name in enumerate(METRICS):
        want = r * 1e6 + m * 1e4 + k * 10 + g
        check(np.array_equal(ds[name].isel(point=0).values, want), f"round trip of {name}")
    Y = ds.sizes["year"]
    y = np.arange(Y)[None, :, None, None]
    o = np.arange(G)[None, None, :, None]
    d = np.arange(G)[None, None, None, :]
    want = np.arange(R)[:, None, None, None] * 1e6 + y * 1e4 + o * 100 + d
    check(np.array_equal(ds["flow"].isel(point=0).values, want), "round trip of flow")
    check(list(ds["replication_seed"].isel(point=0).values) == [1000 + i for i in range(R)], "seeds")
    check(int(ds["realization_done"].sum()) == R, "done mask")
    check(ds.attrs["status"] == "complete", "status")
    check(int(ds.attrs["replications_completed"]) == R, "replications_completed")
    check(int(ds.attrs["threads"]) == 3, "threads attribute")
    sm = ar.open_summary(path)
    mean = sm["production_mean"].isel(point=0).values
    check(np.allclose(mean, ds["production"].isel(point=0).mean("realization").values, rtol=0, atol=1e-6),
          "summary mean equals the mean of the replications")
    med = sm["production_quantile"].sel(quantile=0.5).isel(point=0).values
    check(np.allclose(med, ds["production"].isel(point=0).median("realization").values, atol=1e-6),
          "median of 5 replications is exact")


def real_run(path):
    ds = xr.open_dataset(path, engine="h5netcdf")
    for dim in ("point", "realization", "time", "region", "year", "origin", "destination", "plant", "commodity"):
        check(dim in ds.dims and dim in ds.coords, f"dimension and coordinate {dim}")
    check(np.issubdtype(ds["time"].dtype, np.datetime64), "time decodes to datetime64")
    check(str(ds["time"].values[0])[:10] == "2024-01-01", "time starts 2024-01-01")
    check("Shandong" in list(ds["region"].values), "region names")
    for name in METRICS + ["flow", "plant_production", "balance_residual"]:
        v = ds[name]
        check("units" in v.attrs and "long_name" in v.attrs, f"{name} has units and long_name")
    check(ds["production"].dims == ("point", "realization", "time", "region"), "production dims")
    check(ds["flow"].dims == ("point", "realization", "year", "origin", "destination"), "flow dims")
    for a in ("Conventions", "anodesim_version", "source_revision", "seed", "threads", "ranks", "wall_time_s",
              "events_processed", "scenario", "parameters", "status"):
        check(a in ds.attrs, f"global attribute {a}")
    check(ds.attrs["Conventions"].startswith("CF-"), "Conventions")
    p = json.loads(ds.attrs["parameters"])
    check(abs(p["smelter"]["anode_per_t_al"] - 0.475) < 1e-12, "parameters JSON")
    check("name: china-2024" in ds.attrs["scenario"], "scenario text")
    sm = xr.open_dataset(path, engine="h5netcdf", group="summary")
    check(sm["production_quantile"].dims == ("point", "quantile", "time", "region"), "quantile dims")
    check(list(sm["quantile"].values) == [0.05, 0.25, 0.5, 0.75, 0.95], "quantile coordinate")
    q = sm["production_quantile"].isel(point=0)
    check(bool((q.sel(quantile=0.05) <= q.sel(quantile=0.95) + 1e-9).all()), "quantiles ordered")
    df = ar.to_frame(ds, "production")
    check({"realization", "time", "region", "production"} <= set(df.columns), "tidy frame columns")
    check(df.attrs["units"] == "t", "tidy frame units")
    # mass balance residuals are tiny
    res = abs(ds["balance_residual"]).max().item()
    check(res < 1e-3, f"balance residual {res}")


synthetic(sys.argv[1])
real_run(sys.argv[2])
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
