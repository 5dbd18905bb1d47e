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


def alpha_of(rep, k, g):
    R = 7
    return ((rep * 37) % R) * 100.0 + k * 10 + g + np.where(rep == 3, 0.5, 0.0)


def synthetic(path):
    """The file test_h5out wrote from a two-variable schema (no model)."""
    ds = ar.open_results(path)
    R, T, G = ds.sizes["realization"], ds.sizes["time"], ds.sizes["region"]
    check((R, T, G) == (7, 12, 3), f"sizes {R} {T} {G}")
    r = np.arange(R)[:, None, None]
    k = np.arange(T)[None, :, None]
    g = np.arange(G)[None, None, :]
    check(np.array_equal(ds["alpha"].isel(point=0).values, alpha_of(r, k, g)), "round trip of alpha")
    check(np.allclose(ds["beta"].isel(point=0).values, 1e-3 * np.arange(R)[:, None] + np.arange(G)[None, :],
                      rtol=0, atol=0), "round trip of beta (doubles)")
    check(ds["alpha"].dims == ("realization", "point", "time", "region"), "realization first")
    check(list(ds["region_name"].values) == ["north", "centre", "south"], "labels as a coordinate")
    check(ds["beta"].attrs["units"] == "t-1" and ds["beta"].attrs["currency"] == "EUR", "money: units and currency")
    check(list(ds["replication_seed"].isel(point=0).values) == [1000 + i for i in range(R)], "seeds")
    check(int(ds["realization_done"].sum()) == R, "done mask")
    check(ds.attrs["status"] == "complete", "status")
    check(int(ds.attrs["replications_completed"]) == R, "replications_completed")
    check(int(ds.attrs["threads"]) == 3, "threads attribute")
    check(ds.attrs["recipe"] == "one", "the schema's attributes")
    sm = ar.open_summary(path)
    a = ds["alpha"].isel(point=0).values.astype(np.float64)
    check(np.array_equal(sm["alpha_mean"].isel(point=0).values.round(9), a.mean(axis=0).round(9)),
          "summary mean equals the mean of the replications")
    q = sm["alpha_quantile"].isel(point=0).values
    want = np.quantile(a, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    check(np.allclose(q, want, rtol=0, atol=1e-9), "quantiles are numpy's (exact, linear)")
    check(sm["alpha_quantile"].attrs.get("quantile_method") == "exact", "quantile method stated")
    check("beta_quantile" not in sm and "beta_std" not in sm, "only the summaries the schema asks for")


def real_run(path):
    ds = xr.open_dataset(path, engine="h5netcdf")
    for dim in ("point", "realization", "time", "region", "year", "origin", "destination", "plant", "commodity"):
        check(dim in ds.dims and dim in ds.coords, f"dimension and coordinate {dim}")
        check(np.issubdtype(ds[dim].dtype, np.number) or np.issubdtype(ds[dim].dtype, np.datetime64),
              f"{dim} coordinate is numeric")
    check(np.issubdtype(ds["time"].dtype, np.datetime64), "time decodes to datetime64")
    check(str(ds["time"].values[0])[:10] == "2024-01-01", "time starts 2024-01-01")
    check(ds["time"].attrs.get("bounds") == "time_bnds" and ds["time_bnds"].shape == (ds.sizes["time"], 2),
          "time bounds")
    check(str(ds["time_bnds"].values[0, 1])[:10] == "2024-02-01", "a month's bounds")
    check("Shandong" in list(ds["region_name"].values), "region names")
    for c in ("region_kind", "plant_region", "plant_class", "plant_id", "time_end"):
        check(c in ds.coords, f"coordinate {c}")
    check(set(ds["region_kind"].values) == {"province", "world"}, "region kinds")
    check("iai_region" in ds.coords and set(ds["iai_region"].values) >= {"China"}, "IAI regions")
    stock = ds["anode_stock"]
    check("time_end" in stock.attrs.get("coordinates", stock.encoding.get("coordinates", "")) or "time_end" in stock.coords,
          "month-end levels name time_end")
    for name in METRICS + ["flow", "plant_production", "balance_residual", "coke_price", "anode_price",
                           "energy_price", "inert_share", "fill_rate", "backorder"]:
        v = ds[name]
        check("units" in v.attrs and "long_name" in v.attrs, f"{name} has units and long_name")
    check(ds["revenue"].attrs["units"] == "1" and ds["revenue"].attrs["currency"] == "CNY", "money in its own attribute")
    check(ds["energy_price"].attrs["units"] == "GJ-1", "energy price per GJ")
    check(ds["production"].attrs["cell_methods"] == "time: sum", "flows sum over the month")
    check(ds["anode_stock"].attrs["cell_methods"] == "time: point", "levels are points in time")
    check(ds["production"].dims == ("realization", "point", "time", "region"), "production dims")
    check(ds["flow"].dims == ("realization", "point", "year", "origin", "destination"), "flow dims")
    doc = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "results-format.md")).read()
    smv = xr.open_dataset(path, engine="h5netcdf", group="summary")
    for name in list(ds.variables) + [v.rsplit("_", 1)[0] for v in smv.data_vars]:
        check(f"`{name}`" in doc, f"{name} is documented in docs/results-format.md")
    for name in ds.data_vars:
        x = ds[name].values
        if ds[name].ndim >= 3 and x.dtype.kind == "f" and name != "balance_residual":
            check(not np.any((x != 0) & (np.abs(x) < 1e-6)), f"{name}: zeros stored as zeros (no 1e-10 t residue)")
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
