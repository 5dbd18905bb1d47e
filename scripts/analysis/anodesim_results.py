"""Read anodesim results (HDF5) into xarray and pandas.

    import anodesim_results as ar
    ds = ar.open_results("results/china-2024.h5")          # per replication
    sm = ar.open_summary("results/china-2024.h5")          # mean, std, quantiles
    df = ar.to_frame(ds, "production")                     # tidy table
    nat = ar.national(ds, "production")                    # summed over regions
    ds.production.sel(region="Shandong")                   # regions by name
    p = ar.prices(ds)                                      # prices over price_item
    c = ar.by_plants(ds, "plant_production", "plant_class")  # plant figures by class
    mv = ar.market_value(ds)                               # USD by year, scope, IAI region

The files are plain netCDF-4/HDF5 with dimension scales, so
``xarray.open_dataset(path, engine="h5netcdf")`` works without this module;
these helpers only save typing.  The files keep CF's numeric dimension
coordinates (region 0, 1, ...) with the names as label coordinates
(region_name); open_results and open_summary make the names the index, so
that ``sel(region="Shandong")`` works (labels=False: as stored).
"""
import numpy as np
import json

import h5py
import xarray as xr

# Dimension -> its label coordinate in the files.
LABELS = {"region": "region_name", "origin": "origin_name", "destination": "destination_name",
          "plant": "plant_id", "owner": "owner_name", "commodity": "commodity_name",
          "parameter": "parameter_name"}
PRICE_ITEMS = ["coke", "pitch", "energy", "anode"]
# The national series of each item (anode_price itself is by region).
PRICE_VARS = {"coke": "coke_price", "pitch": "pitch_price", "energy": "energy_price", "anode": "national_anode_price"}


def labelled(ds):
    """ds with each labelled dimension indexed by its labels (region by name...)."""
    for dim, lab in LABELS.items():
        if dim in ds.dims and lab in ds.variables:
            ds = ds.assign_coords({dim: np.asarray(ds[lab].values).astype(str)})
    return ds


def open_results(path, labels=True):
    """The per-replication data (dimensions realization, point, time, region...)."""
    ds = xr.open_dataset(path, engine="h5netcdf")
    return labelled(ds) if labels else ds


def open_summary(path, labels=True):
    """The summaries across replications (group 'summary')."""
    ds = xr.open_dataset(path, engine="h5netcdf", group="summary")
    return labelled(ds) if labels else ds


def prices(ds, stat=""):
    """The four national price series (coke_price, ..., national_anode_price)
    as one DataArray over a price_item dimension; stat "_mean",
    "_quantile"... for a summary group."""
    items = [i for i in PRICE_ITEMS if f"{PRICE_VARS[i]}{stat}" in ds]
    da = xr.concat([ds[f"{PRICE_VARS[i]}{stat}"] for i in items], dim="price_item")
    return da.assign_coords(price_item=items)


def by_plants(ds, var, by="plant_class"):
    """A plant variable (plant_production, plant_capacity, plant_profit...)
    summed over the plants of each class (by="plant_class"), owner
    ("plant_owner") or region ("plant_region"): a new dimension named by."""
    key = ds[by].values
    return ds[var].groupby(xr.DataArray(key, dims="plant", name=by)).sum("plant")


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


# The market report's point figures (000_d66bec55743da646.txt), USD bn: 2024
# "valued at", 2025 and 2032 the forecast.  Its "CAGR 5.3 %" fits neither
# span: 4.91 -> 7.38 over 2025-2032 is 6.0 % a year.
REPORT_USD_BN = {2024: 4.62, 2025: 4.91, 2032: 7.38}


def market_value(ds):
    """The anode market's value in USD a year, per replication, in three
    scopes (a Dataset over realization and year, whole years only):

    all           every prebaked anode produced, at its plant's ex-works price
                  (a captive plant's anodes at the price it would quote:
                  its cost plus its region's mark-up)     -- volume x price
    merchant      the anodes of plants no smelter owns
    cross_border  the anodes delivered to another country (China's provinces
                  are one country), at the ex-works price of where they were made

    and `by_iai` (realization, year, iai_region): `all` by the IAI region
    the anodes were made in (China's provinces: China)."""
    ds = ds.isel(point=0) if "point" in ds.dims else ds
    months = ds["time"].groupby("time.year").count()
    whole = months["year"].values[months.values == 12]
    y = lambda v: yearly(ds[v]).sel(year=whole)
    rev, prod = y("revenue_usd"), y("production")
    unit = (rev / prod.where(prod > 0)).fillna(0)          # USD/t by region and year
    iai = xr.DataArray(np.asarray(ds["iai_region"].values).astype(str), dims="region", name="iai_region")
    out = xr.Dataset({
        "all": rev.sum("region"),
        "merchant": y("merchant_revenue_usd").sum("region"),
        "cross_border": (y("shipped_abroad") * unit).sum("region"),
        "by_iai": rev.groupby(iai).sum("region"),
    })
    for v in out.data_vars:
        out[v].attrs = {"units": "1", "currency": "USD"}
    return out


def yearly(da):
    """Monthly flows summed by calendar year (levels such as stocks: use .resample
    yourself and take the last value)."""
    out = da.groupby("time.year").sum("time")
    out.attrs = dict(da.attrs)
    return out
