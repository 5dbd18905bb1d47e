"""Read anodesim results (HDF5) into xarray and pandas.

    import anodesim_results as ar
    ds = ar.open_results("results/china-2024.h5")          # per replication
    sm = ar.open_summary("results/china-2024.h5")          # mean, std, quantiles
    df = ar.to_frame(ds, "production")                     # tidy table
    nat = ar.national(ds, "production")                    # summed over regions

The files are plain netCDF-4/HDF5 with dimension scales, so
``xarray.open_dataset(path, engine="h5netcdf")`` works without this module;
these helpers only save typing.
"""
import json

import h5py
import xarray as xr

WORLD_HINT = "world regions hold export markets; provinces hold plants and smelters"


def open_results(path):
    """The per-replication data (dimensions point, realization, time, region...)."""
    return xr.open_dataset(path, engine="h5netcdf")


def open_summary(path):
    """The summaries across replications (group 'summary')."""
    return xr.open_dataset(path, engine="h5netcdf", group="summary")


def parameters(path):
    """The resolved scenario parameters stored with the results, as a dict."""
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["parameters"])


def scenario_text(path):
    """The full scenario file that produced the results."""
    with h5py.File(path, "r") as f:
        return f.attrs["scenario"]


def provenance(path):
    """Version, revision, seed, threads, ranks, wall time, events, status."""
    keys = ["anodesim_version", "source_revision", "seed", "threads", "ranks", "wall_time_s",
            "events_processed", "status", "replications_completed", "replications_planned", "created"]
    with h5py.File(path, "r") as f:
        return {k: (f.attrs[k].item() if hasattr(f.attrs[k], "item") else f.attrs[k])
                for k in keys if k in f.attrs}


def to_frame(ds, var):
    """A tidy pandas table of one variable: one row per coordinate combination,
    the value in a column named after the variable, units in .attrs."""
    da = ds[var]
    df = da.to_dataframe().reset_index()
    df.attrs["units"] = da.attrs.get("units", "")
    return df


def national(ds, var):
    """A variable summed over regions (dimension 'region' dropped)."""
    da = ds[var].sum("region", skipna=False)
    da.attrs = dict(ds[var].attrs)
    return da


def yearly(da):
    """Monthly flows summed by calendar year (levels such as stocks: use .resample
    yourself and take the last value)."""
    out = da.groupby("time.year").sum("time")
    out.attrs = dict(da.attrs)
    return out
